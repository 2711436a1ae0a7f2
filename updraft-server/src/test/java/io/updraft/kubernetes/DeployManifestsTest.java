package io.updraft.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.config.ConfigKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The example manifests of deploy/kubernetes (docs/deploy.md#kubernetes) parse, have the kinds the
 * docs describe, and grant the scheduler exactly what the kubernetes executor calls. No cluster
 * here: this is what can be checked without one.
 */
class DeployManifestsTest {
  private static final Path DIR = Path.of("../deploy/kubernetes");

  @TempDir Path tmp;

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> documents() throws Exception {
    List<Map<String, Object>> docs = new ArrayList<>();
    try (Stream<Path> files = Files.list(DIR)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        for (Object doc :
            new Load(LoadSettings.builder().build()).loadAllFromString(Files.readString(f))) {
          if (doc != null) {
            Map<String, Object> m = (Map<String, Object>) doc;
            m.put("__file", f.getFileName().toString());
            docs.add(m);
          }
        }
      }
    }
    return docs;
  }

  private static Map<String, Object> named(
      List<Map<String, Object>> docs, String kind, String name) {
    return docs.stream()
        .filter(d -> kind.equals(d.get("kind")) && name.equals(at(d, "metadata", "name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
  }

  @SuppressWarnings("unchecked")
  private static Object at(Object node, Object... path) {
    Object n = node;
    for (Object p : path) {
      n = p instanceof Integer i ? ((List<Object>) n).get(i) : ((Map<String, Object>) n).get(p);
    }
    return n;
  }

  @Test
  void theManifestsHaveTheKindsTheDocsDescribe() throws Exception {
    List<Map<String, Object>> docs = documents();
    List<String> kinds =
        docs.stream()
            .filter(d -> !"pod-template.yaml".equals(d.get("__file")))
            .map(d -> d.get("kind") + "/" + at(d, "metadata", "name"))
            .sorted()
            .toList();
    assertThat(kinds)
        .containsExactly(
            "ConfigMap/updraft-config",
            "Deployment/updraft-api-server",
            "Deployment/updraft-scheduler",
            "Deployment/updraft-triggerer",
            "Namespace/updraft",
            "Role/updraft-pod-launcher",
            "RoleBinding/updraft-scheduler-pod-launcher",
            "Secret/updraft-db",
            "Service/updraft-api-server",
            "ServiceAccount/updraft-scheduler",
            "ServiceAccount/updraft-task");
    for (String d : List.of("updraft-scheduler", "updraft-api-server", "updraft-triggerer")) {
      Map<String, Object> dep = named(docs, "Deployment", d);
      Object env = at(dep, "spec", "template", "spec", "containers", 0, "env");
      assertThat(env.toString()).contains("UPDRAFT_DB_URL").contains("secretKeyRef");
    }
    Map<String, Object> service = named(docs, "Service", "updraft-api-server");
    assertThat((Map<String, Object>) at(service, "spec", "selector"))
        .isEqualTo(
            at(
                named(docs, "Deployment", "updraft-api-server"),
                "spec",
                "template",
                "metadata",
                "labels"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void theRoleAllowsWhatTheExecutorCallsAndIsTheSchedulers() throws Exception {
    List<Map<String, Object>> docs = documents();
    List<Map<String, Object>> rules =
        (List<Map<String, Object>>) at(named(docs, "Role", "updraft-pod-launcher"), "rules");
    Map<String, List<String>> verbs = new java.util.HashMap<>();
    for (Map<String, Object> r : rules) {
      assertThat((List<String>) r.get("apiGroups")).containsExactly("");
      for (String res : (List<String>) r.get("resources")) {
        verbs.put(res, (List<String>) r.get("verbs"));
      }
    }
    // create (a pod per try), get + patch (adopting, keeping a failed pod), list + watch (the
    // informer), delete (finished and cancelled pods); events: read for a failed pod's log.
    assertThat(verbs.get("pods")).contains("create", "get", "list", "watch", "delete", "patch");
    assertThat(verbs.get("events")).contains("list");
    Map<String, Object> binding = named(docs, "RoleBinding", "updraft-scheduler-pod-launcher");
    assertThat(at(binding, "roleRef", "name")).isEqualTo("updraft-pod-launcher");
    assertThat(at(binding, "subjects", 0, "name"))
        .isEqualTo(
            at(
                named(docs, "Deployment", "updraft-scheduler"),
                "spec",
                "template",
                "spec",
                "serviceAccountName"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void theConfigAndPodTemplatesAreWhatTheExecutorAccepts() throws Exception {
    List<Map<String, Object>> docs = documents();
    Map<String, Object> data =
        (Map<String, Object>) named(docs, "ConfigMap", "updraft-config").get("data");
    Map<String, Object> config =
        (Map<String, Object>)
            new Load(LoadSettings.builder().build())
                .loadFromString((String) data.get("updraft.yaml"));
    Map<String, Object> k8s = (Map<String, Object>) config.get("kubernetes");
    List<String> known = ConfigKey.ALL.stream().map(ConfigKey::name).toList();
    for (String key : k8s.keySet()) {
      assertThat(known).contains("kubernetes." + key);
    }
    Path inMap = tmp.resolve("pod-template.yaml");
    Files.writeString(inMap, (String) data.get("pod-template.yaml"));
    for (Path template : List.of(inMap, DIR.resolve("pod-template.yaml"))) {
      KubernetesSettings s =
          KubernetesSettings.of(
              (String) k8s.get("api_url"),
              (String) k8s.get("namespace"),
              template,
              null,
              null,
              Map.of(),
              Map.of(),
              null,
              Duration.ofMinutes(5),
              Duration.ofHours(1));
      assertThat(KubernetesSettings.base(s.template(), "").getImage()).isEqualTo(k8s.get("image"));
    }
  }
}
