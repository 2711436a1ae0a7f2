package io.updraft.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.updraft.UpdraftException;
import io.updraft.config.ConfigKey;
import io.updraft.config.UpdraftConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kubernetes executor's settings ({@code kubernetes.*}), checked when the scheduler starts:
 * each bad value stops it with one line naming the key and what to write.
 *
 * @param template the pod every try's pod starts from, with a container named {@code base} (or a
 *     single container, which is then the base)
 * @param image null: the template's
 * @param serviceAccount null: the template's
 * @param requests the base container's requests (cpu, memory); empty: the template's
 * @param limits the base container's limits
 * @param nodeSelector added to the template's
 */
public record KubernetesSettings(
    String apiUrl,
    String namespace,
    Pod template,
    String image,
    String serviceAccount,
    Map<String, Quantity> requests,
    Map<String, Quantity> limits,
    Map<String, String> nodeSelector,
    Duration podStartTimeout,
    Duration failedPodRetention) {

  /** The name of the container that runs the task, as in Airflow's pod templates. */
  public static final String BASE = "base";

  public KubernetesSettings {
    requests = Map.copyOf(requests);
    limits = Map.copyOf(limits);
    nodeSelector = Map.copyOf(nodeSelector);
  }

  /** A configuration error: names the key and says what to write. */
  public static final class BadSettingException extends UpdraftException {
    public BadSettingException(String message) {
      super(message);
    }
  }

  /** The settings of {@code config}, checked. */
  public static KubernetesSettings from(UpdraftConfig config) {
    String apiUrl = config.text(ConfigKey.KUBERNETES_API_URL);
    if (apiUrl == null) {
      throw new BadSettingException(
          "kubernetes.api_url is not set — the kubernetes executor needs the API server's URL as"
              + " pods reach it, e.g. http://updraft-api-server:8080 (or"
              + " UPDRAFT_KUBERNETES_API_URL)");
    }
    String file = config.text(ConfigKey.KUBERNETES_POD_TEMPLATE_FILE);
    return of(
        apiUrl,
        config.text(ConfigKey.KUBERNETES_NAMESPACE),
        file == null ? null : Path.of(file),
        config.text(ConfigKey.KUBERNETES_IMAGE),
        config.text(ConfigKey.KUBERNETES_SERVICE_ACCOUNT),
        resources(config, ConfigKey.KUBERNETES_REQUEST_CPU, ConfigKey.KUBERNETES_REQUEST_MEMORY),
        resources(config, ConfigKey.KUBERNETES_LIMIT_CPU, ConfigKey.KUBERNETES_LIMIT_MEMORY),
        config.text(ConfigKey.KUBERNETES_NODE_SELECTOR),
        config.duration(ConfigKey.KUBERNETES_POD_START_TIMEOUT),
        config.duration(ConfigKey.KUBERNETES_FAILED_POD_RETENTION));
  }

  /**
   * Checked settings from their values as written.
   *
   * @param templateFile null: a pod with one container named base
   * @param resources cpu and memory requests or limits as text ({@code 500m}, {@code 1Gi}); keys
   *     are the config keys' names, for messages
   * @param nodeSelector {@code key=value,key2=value2}, or null
   */
  public static KubernetesSettings of(
      String apiUrl,
      String namespace,
      Path templateFile,
      String image,
      String serviceAccount,
      Map<String, String> requests,
      Map<String, String> limits,
      String nodeSelector,
      Duration podStartTimeout,
      Duration failedPodRetention) {
    URI uri;
    try {
      uri = URI.create(apiUrl);
    } catch (IllegalArgumentException e) {
      uri = null;
    }
    if (uri == null
        || uri.getHost() == null
        || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      throw new BadSettingException(
          "kubernetes.api_url '"
              + apiUrl
              + "' is not an http(s) URL — write the API server's URL as pods reach it, e.g."
              + " http://updraft-api-server:8080");
    }
    if (namespace == null || !namespace.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
      throw new BadSettingException(
          "kubernetes.namespace '"
              + namespace
              + "' is not a namespace name — lower-case letters, digits and '-', at most 63");
    }
    Pod template = templateFile == null ? defaultTemplate() : template(templateFile);
    Container base = base(template, String.valueOf(templateFile));
    if (image == null && (base.getImage() == null || base.getImage().isBlank())) {
      throw new BadSettingException(
          "no image for the pods — set kubernetes.image (UPDRAFT_KUBERNETES_IMAGE) or the base"
              + " container's image in the pod template");
    }
    return new KubernetesSettings(
        apiUrl,
        namespace,
        template,
        image,
        serviceAccount,
        quantities(requests),
        quantities(limits),
        nodeSelector(nodeSelector),
        podStartTimeout,
        failedPodRetention);
  }

  private static Map<String, String> resources(UpdraftConfig config, ConfigKey cpu, ConfigKey mem) {
    Map<String, String> m = new LinkedHashMap<>();
    if (config.text(cpu) != null) {
      m.put(cpu.name(), config.text(cpu));
    }
    if (config.text(mem) != null) {
      m.put(mem.name(), config.text(mem));
    }
    return m;
  }

  /** {@code kubernetes.request_cpu -> 500m} as {@code cpu -> 500m}, each checked. */
  private static Map<String, Quantity> quantities(Map<String, String> byKey) {
    Map<String, Quantity> out = new LinkedHashMap<>();
    byKey.forEach(
        (key, text) -> {
          try {
            Quantity q = Quantity.parse(text.trim());
            q.getNumericalAmount();
            out.put(key.endsWith("cpu") ? "cpu" : "memory", q);
          } catch (RuntimeException e) {
            throw new BadSettingException(
                key
                    + " '"
                    + text
                    + "' is not a Kubernetes quantity — write e.g. 500m or 2 (cpu), 512Mi or 2Gi"
                    + " (memory)");
          }
        });
    return out;
  }

  private static Map<String, String> nodeSelector(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    if (text == null) {
      return out;
    }
    for (String pair : text.split(",")) {
      String p = pair.trim();
      int eq = p.indexOf('=');
      String key = eq < 0 ? "" : p.substring(0, eq).trim();
      String value = eq < 0 ? "" : p.substring(eq + 1).trim();
      if (eq < 0
          || !key.matches(
              "([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?")
          || !PodLabels.isValid(value)) {
        throw new BadSettingException(
            "kubernetes.node_selector '"
                + text
                + "': '"
                + p
                + "' is not a label key=value — write e.g. disktype=ssd,topology.kubernetes.io/zone=a");
      }
      out.put(key, value);
    }
    return out;
  }

  private static Pod defaultTemplate() {
    return new PodBuilder()
        .withNewMetadata()
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName(BASE)
        .endContainer()
        .endSpec()
        .build();
  }

  private static Pod template(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new BadSettingException(
          "kubernetes.pod_template_file "
              + file
              + " does not exist — give the path of a YAML pod (deploy/kubernetes/pod-template.yaml"
              + " is an example)");
    }
    Object parsed;
    try (InputStream in = Files.newInputStream(file)) {
      parsed = new KubernetesSerialization().unmarshal(in);
    } catch (IOException | RuntimeException e) {
      throw new BadSettingException(
          "kubernetes.pod_template_file "
              + file
              + " is not a YAML Kubernetes object: "
              + firstLine(e.getMessage())
              + " — fix the file (kubectl apply --dry-run=client -f FILE checks it)");
    }
    if (!(parsed instanceof Pod pod) || pod.getSpec() == null) {
      throw new BadSettingException(
          "kubernetes.pod_template_file "
              + file
              + " is not a pod with a spec — write apiVersion: v1, kind: Pod, spec: {containers:"
              + " [{name: base, image: ...}]}");
    }
    return pod;
  }

  /** The container that runs the task: the one named base, or the only one. */
  static Container base(Pod pod, String where) {
    List<Container> containers = pod.getSpec().getContainers();
    for (Container c : containers) {
      if (BASE.equals(c.getName())) {
        return c;
      }
    }
    if (containers.size() == 1) {
      return containers.get(0);
    }
    throw new BadSettingException(
        "the pod template "
            + where
            + " has "
            + (containers.isEmpty() ? "no container" : "no container named base")
            + " — add one named base: it runs the task");
  }

  /** The first line of a message (fabric8's carry the whole response). */
  static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int cut = s.indexOf('\n');
    return cut < 0 ? s : s.substring(0, cut);
  }
}
