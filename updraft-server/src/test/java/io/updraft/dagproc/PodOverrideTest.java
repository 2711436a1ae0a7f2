package io.updraft.dagproc;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.dag.Dag;
import io.updraft.sdk.Dags;
import io.updraft.sdk.Tasks;
import io.updraft.serde.DagSerializer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task's {@code executor_config: {pod_override: ...}} (Airflow's): read from YAML or Java, kept
 * in the serialized DAG, and checked against the Kubernetes pod model, a bad one being an import
 * error at its line.
 */
class PodOverrideTest {
  @TempDir Path dir;

  private DagFileResult parse(String yaml) throws IOException {
    Path file = dir.resolve("dag.yaml");
    Files.writeString(file, yaml);
    return new YamlDagParser().parse(file);
  }

  private static final String HEAD = "dag_id: etl\nschedule: null\ntasks:\n";

  private static final String GOOD =
      HEAD
          + """
            - task_id: big
              operator: shell
              command: "true"
              executor_config:
                pod_override:
                  metadata: {labels: {team: data}}
                  spec:
                    nodeSelector: {disktype: ssd}
                    containers:
                      - name: base
                        resources: {limits: {memory: 2Gi, cpu: "2"}}
            - {task_id: small, operator: empty}
          """;

  @Test
  void aPodOverrideIsReadKeptAndSerialized() throws IOException {
    DagFileResult r = parse(GOOD);
    assertThat(r.errors()).isEmpty();
    Dag dag = r.dags().get(0);
    assertThat(dag.task("big").orElseThrow().podOverride()).containsKeys("metadata", "spec");
    assertThat(dag.task("big").orElseThrow().args()).doesNotContainKey("executor_config");
    assertThat(dag.task("small").orElseThrow().executorConfig()).isEmpty();
    Dag back = DagSerializer.fromJson(DagSerializer.serialize(dag).json());
    assertThat(back.task("big").orElseThrow().executorConfig())
        .isEqualTo(dag.task("big").orElseThrow().executorConfig());
    // A task without one serializes as before: no executor_config key, the same hash.
    assertThat(DagSerializer.serialize(dag).json()).containsOnlyOnce("executor_config");
  }

  @Test
  void theJavaSdkWritesTheSameTask() throws IOException {
    Dag fromYaml =
        parse(
                HEAD
                    + "  - {task_id: t, operator: shell, command: 'true', executor_config:"
                    + " {pod_override: {spec: {nodeSelector: {disktype: ssd}}}}}\n")
            .dags()
            .get(0);
    Dag fromJava =
        Dags.dag("etl")
            .task(
                Tasks.shell("t", "true")
                    .podOverride(Map.of("spec", Map.of("nodeSelector", Map.of("disktype", "ssd")))))
            .build();
    assertThat(DagSerializer.serialize(fromJava)).isEqualTo(DagSerializer.serialize(fromYaml));
  }

  @Test
  void aMisspeltFieldIsAnImportErrorAtItsLine() throws IOException {
    DagFileResult r = parse(GOOD.replace("resources: {limits", "resorces: {limits"));
    assertThat(r.dags()).isEmpty();
    assertThat(r.errors()).hasSize(1);
    DagFileError e = r.errors().get(0);
    assertThat(e.message())
        .startsWith(
            "task 'big' executor_config.pod_override.spec.containers[0].resorces: 'resorces' is not"
                + " a field")
        .contains("did you mean resources?");
    assertThat(e.line()).isEqualTo(14);
  }

  @Test
  void aValueOfTheWrongTypeIsAnImportError() throws IOException {
    DagFileResult r = parse(GOOD.replace("nodeSelector: {disktype: ssd}", "nodeSelector: [ssd]"));
    assertThat(r.dags()).isEmpty();
    assertThat(r.errors().get(0).message())
        .startsWith("task 'big' executor_config.pod_override.spec.nodeSelector: not a valid value");
    assertThat(r.errors().get(0).line()).isEqualTo(11);
  }

  @Test
  void executorConfigTakesOnlyPodOverrideAsAMap() throws IOException {
    DagFileResult r =
        parse(HEAD + "  - {task_id: t, operator: empty, executor_config: {pod_overide: {}}}\n");
    assertThat(r.errors().get(0).message())
        .contains("executor_config has no key 'pod_overide'")
        .contains("pod_override");
    r = parse(HEAD + "  - {task_id: t, operator: empty, executor_config: {pod_override: [1]}}\n");
    assertThat(r.errors().get(0).message()).contains("pod_override must be a map");
    r =
        parse(
            HEAD
                + "  - {task_id: t, operator: empty, executor_config: {pod_override: {status: {}}}}\n");
    assertThat(r.errors().get(0).message()).contains("has metadata and spec, not 'status'");
    r = parse(HEAD + "  - {task_id: t, operator: empty, executor_config: [1]}\n");
    assertThat(r.errors().get(0).message()).contains("executor_config must be a map");
    assertThat(List.of(r.errors().get(0).line())).containsExactly(4);
  }
}
