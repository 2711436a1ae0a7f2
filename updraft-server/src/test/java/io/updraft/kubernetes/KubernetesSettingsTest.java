package io.updraft.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad kubernetes.* settings stop the scheduler with one line naming the key and the fix. */
class KubernetesSettingsTest {
  @TempDir Path tmp;

  private static KubernetesSettings of(
      String apiUrl,
      String ns,
      Path template,
      String image,
      Map<String, String> requests,
      String selector) {
    return KubernetesSettings.of(
        apiUrl,
        ns,
        template,
        image,
        null,
        requests,
        Map.of(),
        selector,
        Duration.ofMinutes(5),
        Duration.ofHours(1));
  }

  @Test
  void goodSettingsAreKept() {
    KubernetesSettings s =
        of(
            "https://api.example:8443",
            "jobs",
            null,
            "updraft:1",
            Map.of("kubernetes.request_cpu", "500m"),
            "a=b, zone.io/x=y");
    assertThat(s.nodeSelector()).containsEntry("a", "b").containsEntry("zone.io/x", "y");
    assertThat(s.requests().get("cpu").toString()).isEqualTo("500m");
  }

  @Test
  void eachBadValueIsNamed() throws Exception {
    assertThatThrownBy(() -> of("updraft-api:8080", "default", null, "i", Map.of(), null))
        .hasMessageStartingWith("kubernetes.api_url 'updraft-api:8080' is not an http(s) URL");
    assertThatThrownBy(() -> of("http://a:1", "Bad_NS", null, "i", Map.of(), null))
        .hasMessageStartingWith("kubernetes.namespace 'Bad_NS' is not a namespace name");
    assertThatThrownBy(() -> of("http://a:1", "default", null, null, Map.of(), null))
        .hasMessageStartingWith("no image for the pods — set kubernetes.image");
    assertThatThrownBy(
            () ->
                of(
                    "http://a:1",
                    "default",
                    null,
                    "i",
                    Map.of("kubernetes.request_memory", "lots"),
                    null))
        .hasMessageStartingWith("kubernetes.request_memory 'lots' is not a Kubernetes quantity");
    assertThatThrownBy(() -> of("http://a:1", "default", null, "i", Map.of(), "disktype"))
        .hasMessageContaining(
            "kubernetes.node_selector 'disktype': 'disktype' is not a label key=value");
    assertThatThrownBy(
            () -> of("http://a:1", "default", tmp.resolve("none.yaml"), "i", Map.of(), null))
        .hasMessageContaining("kubernetes.pod_template_file")
        .hasMessageContaining("does not exist");
    Path notYaml = tmp.resolve("bad.yaml");
    Files.writeString(notYaml, "spec: [unclosed\n");
    assertThatThrownBy(() -> of("http://a:1", "default", notYaml, "i", Map.of(), null))
        .hasMessageContaining("is not a YAML Kubernetes object");
    Path twoContainers = tmp.resolve("two.yaml");
    Files.writeString(
        twoContainers,
        "apiVersion: v1\nkind: Pod\nspec:\n  containers: [{name: a, image: x}, {name: b, image: y}]\n");
    assertThatThrownBy(() -> of("http://a:1", "default", twoContainers, null, Map.of(), null))
        .hasMessageContaining("has no container named base");
    Path service = tmp.resolve("svc.yaml");
    Files.writeString(service, "apiVersion: v1\nkind: Service\nmetadata: {name: x}\n");
    assertThatThrownBy(() -> of("http://a:1", "default", service, "i", Map.of(), null))
        .hasMessageContaining("is not a pod with a spec");
  }

  @Test
  void labelValuesAndPodNamesFitKubernetesRules() {
    assertThat(PodLabels.value("load_orders")).isEqualTo("load_orders");
    String long1 = "x".repeat(70);
    assertThat(PodLabels.value(long1)).hasSizeLessThanOrEqualTo(63).matches(PodLabels::isValid);
    assertThat(PodLabels.value(long1)).isNotEqualTo(PodLabels.value(long1 + "y"));
    assertThat(PodLabels.value("scheduled__2024-01-01T00:00:00+00:00")).matches(PodLabels::isValid);
    assertThat(PodLabels.podName("Etl.Daily", "group.Load_Orders", 12, 3))
        .isEqualTo("etl-daily-group-load-orders-12-3");
    assertThat(PodLabels.podName("d".repeat(100), "t", 123456789, 10))
        .hasSizeLessThanOrEqualTo(63)
        .endsWith("-123456789-10");
  }
}
