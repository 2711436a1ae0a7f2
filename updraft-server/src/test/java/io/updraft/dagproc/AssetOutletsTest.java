package io.updraft.dagproc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.updraft.dag.AssetUris;
import io.updraft.dag.Dag;
import io.updraft.dag.Task;
import io.updraft.sdk.Dags;
import io.updraft.sdk.Tasks;
import io.updraft.serde.DagSerializer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A task's outlets (SPEC §1.10): written in YAML or Java, checked, and serialized with the DAG. */
class AssetOutletsTest {
  @TempDir Path dir;

  private DagFileResult parse(String yaml) throws IOException {
    Path file = dir.resolve("dag.yaml");
    Files.writeString(file, yaml);
    return new YamlDagParser().parse(file);
  }

  private static final String HEAD = "dag_id: etl\nschedule: null\ntasks:\n";

  @Test
  void outletsInYamlAreTheTasksAssetUrisInTheirOrderEachOnce() throws IOException {
    DagFileResult r =
        parse(
            HEAD
                + """
                  - task_id: load
                    operator: shell
                    command: "true"
                    outlets: [s3://bucket/orders.csv, "postgres://db/public/orders", daily_orders,
                              s3://bucket/orders.csv]
                  - {task_id: one, operator: empty, outlets: file:///data/x.csv}
                  - {task_id: none, operator: empty}
                """);
    assertThat(r.errors()).isEmpty();
    Dag dag = r.dags().get(0);
    assertThat(dag.task("load").orElseThrow().outlets())
        .containsExactly("s3://bucket/orders.csv", "postgres://db/public/orders", "daily_orders");
    assertThat(dag.task("load").orElseThrow().args()).doesNotContainKey("outlets");
    assertThat(dag.task("one").orElseThrow().outlets()).containsExactly("file:///data/x.csv");
    assertThat(dag.task("none").orElseThrow().outlets()).isEmpty();
  }

  @Test
  void theJavaSdkWritesTheSameTask() throws IOException {
    Dag fromYaml =
        parse(HEAD + "  - {task_id: load, operator: shell, command: 'true', outlets: [s3://b/k]}\n")
            .dags()
            .get(0);
    Dag fromJava = Dags.dag("etl").task(Tasks.shell("load", "true").outlets("s3://b/k")).build();
    assertThat(DagSerializer.serialize(fromJava)).isEqualTo(DagSerializer.serialize(fromYaml));
    assertThatThrownBy(() -> Tasks.shell("load", "true").outlets("s3://b/has space"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("task load: outlets")
        .hasMessageContaining("whitespace");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"''", "'s3://b/a b'", "'airflow://x'", "'3s://bucket/k'", "'s3://b/caf\u00e9'"})
  void aBadUriIsAnImportErrorNamingTheTaskAndTheKey(String uri) throws IOException {
    DagFileResult r =
        parse(HEAD + "  - task_id: load\n    operator: empty\n    outlets: [ok, " + uri + "]\n");
    assertThat(r.dags()).isEmpty();
    assertThat(r.errors()).hasSize(1);
    DagFileError e = r.errors().get(0);
    assertThat(e.message()).startsWith("task 'load' outlets: ");
    assertThat(e.line()).isEqualTo(6);
    assertThat(e.column()).isGreaterThan(18); // at the second URI, not the first
  }

  @Test
  void anOutletThatIsNotTextIsRefusedWhereItIsWritten() throws IOException {
    DagFileResult r =
        parse(HEAD + "  - task_id: load\n    operator: empty\n    outlets: [{uri: x}]\n");
    assertThat(r.errors()).hasSize(1);
    assertThat(r.errors().get(0).message()).contains("an outlet must be an asset URI");
    DagFileResult map =
        parse(HEAD + "  - task_id: load\n    operator: empty\n    outlets: {a: b}\n");
    assertThat(map.errors().get(0).message()).contains("outlets must be a list of asset URIs");
  }

  @Test
  void uriRulesFollowAirflows() {
    assertThat(AssetUris.problem("s3://bucket/key")).isEmpty();
    assertThat(AssetUris.problem("daily_orders")).isEmpty();
    assertThat(AssetUris.problem("x".repeat(AssetUris.MAX_LENGTH))).isEmpty();
    assertThat(AssetUris.problem("x".repeat(AssetUris.MAX_LENGTH + 1)).orElseThrow())
        .contains("1501 characters");
    assertThat(AssetUris.problem(null)).isPresent();
    assertThat(AssetUris.problem("AIRFLOW://x").orElseThrow()).contains("reserves");
    assertThat(AssetUris.problem("a\tb")).isPresent();
  }

  @Test
  void outletsSurviveSerializationAndATaskWithoutThemSerializesAsBefore() {
    Dag dag =
        Dags.dag("etl")
            .task(Tasks.shell("load", "true").outlets("s3://b/k", "daily"))
            .task(Tasks.shell("plain", "true"))
            .build();
    String json = DagSerializer.serialize(dag).json();
    Dag back = DagSerializer.fromJson(json);
    assertThat(back.task("load").orElseThrow().outlets()).containsExactly("s3://b/k", "daily");
    assertThat(back).isEqualTo(dag);
    // A version stored before outlets existed has no such key: read as no outlets.
    assertThat(json).containsOnlyOnce("\"outlets\"");
    Task plain = back.task("plain").orElseThrow();
    assertThat(plain.outlets()).isEqualTo(List.of());
    Dag withoutAny = Dags.dag("etl").task(Tasks.shell("plain", "true")).build();
    assertThat(DagSerializer.serialize(withoutAny).json()).doesNotContain("outlets");
  }
}
