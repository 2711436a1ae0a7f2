package io.updraft.dagproc;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.dag.Dag;
import io.updraft.store.Database;
import io.updraft.store.SerializedDagRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** for_each: one DAG per row of a CSV or object of a JSON array (SPEC §1.4, seed 004). */
class ForEachTest {
  private static final String TEMPLATE =
      """
      for_each: customers.csv
      dag_id: "customer_{{ item.id }}"
      schedule: "{{ item.cron }}"
      start_date: 2024-01-01
      tags: [customers, "{{ item.region }}"]
      tasks:
        - task_id: export
          operator: shell
          command: "export --customer {{ item.id }} --day {{ ds }}"
          retries: "{{ item.retries }}"
      """;

  @TempDir Path dir;

  private DagFileResult parse(String yaml) throws Exception {
    Path file = dir.resolve("customers.yaml");
    Files.writeString(file, yaml);
    return new YamlDagParser().parse(file);
  }

  @Test
  void oneDagPerCsvRowWithTypedValuesAndRuntimeTemplatesLeftAlone() throws Exception {
    Files.writeString(
        dir.resolve("customers.csv"),
        "id,cron,region,retries\r\nacme,@daily,eu,2\nbig,0 3 * * *,\"us, \"\"east\"\"\",0\n");
    DagFileResult r = parse(TEMPLATE);
    assertThat(r.errors()).isEmpty();
    assertThat(r.dags()).extracting(Dag::dagId).containsExactly("customer_acme", "customer_big");
    Dag acme = r.dags().get(0);
    assertThat(acme.schedule().text()).isEqualTo("@daily");
    assertThat(acme.tags()).containsExactly("customers", "eu");
    assertThat(r.dags().get(1).tags()).containsExactly("customers", "us, \"east\"");
    assertThat(acme.tasks().get(0).retries()).isEqualTo(2);
    assertThat(acme.tasks().get(0).arg("command"))
        .isEqualTo("export --customer acme --day {{ ds }}");
    assertThat(r.inputs()).containsExactly(dir.resolve("customers.csv").toAbsolutePath());
  }

  @Test
  void jsonArraysWorkToo() throws Exception {
    Files.writeString(
        dir.resolve("customers.json"),
        "[{\"id\": \"a\", \"cron\": \"@hourly\", \"region\": \"eu\", \"retries\": 1},"
            + " {\"id\": \"b\", \"cron\": \"@daily\", \"region\": \"us\", \"retries\": 3}]");
    DagFileResult r = parse(TEMPLATE.replace("customers.csv", "customers.json"));
    assertThat(r.errors()).isEmpty();
    assertThat(r.dags()).extracting(Dag::dagId).containsExactly("customer_a", "customer_b");
    assertThat(r.dags().get(1).tasks().get(0).retries()).isEqualTo(3);
  }

  @Test
  void anUnknownColumnIsAnErrorAtItsLineNamingTheColumns() throws Exception {
    Files.writeString(dir.resolve("customers.csv"), "id,cron,region,retries\nacme,@daily,eu,2\n");
    DagFileResult r = parse(TEMPLATE.replace("{{ item.region }}", "{{ item.country }}"));
    assertThat(r.errors())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.line()).isEqualTo(5);
              assertThat(e.message())
                  .isEqualTo(
                      "item has no column 'country' — the columns of customers.csv are: id, cron,"
                          + " region, retries");
            });
  }

  @Test
  void badDataFilesAreOneErrorAtTheForEachLine() throws Exception {
    assertThat(parse(TEMPLATE).errors())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.line()).isEqualTo(1);
              assertThat(e.message()).startsWith("cannot read").contains("customers.csv");
            });
    Files.writeString(dir.resolve("customers.csv"), "id,cron,region,retries\nacme,@daily\n");
    assertThat(parse(TEMPLATE).errors().get(0).message())
        .isEqualTo(
            "customers.csv line 2 has 2 values for 4 columns (id, cron, region, retries) — quote"
                + " values that contain commas");
    Files.writeString(dir.resolve("customers.txt"), "x");
    assertThat(parse(TEMPLATE.replace("customers.csv", "customers.txt")).errors().get(0).message())
        .startsWith("for_each takes a .csv file");
    Files.writeString(dir.resolve("customers.json"), "{\"id\": 1}");
    assertThat(parse(TEMPLATE.replace("customers.csv", "customers.json")).errors().get(0).message())
        .isEqualTo("customers.json must hold a JSON array of objects");
  }

  @Test
  void aBadValueInOneRowLeavesTheOtherDags() throws Exception {
    Files.writeString(
        dir.resolve("customers.csv"),
        "id,cron,region,retries\nacme,@daily,eu,2\nbad,61 * * * *,eu,2\nzeta,@daily,us,1\n");
    DagFileResult r = parse(TEMPLATE);
    assertThat(r.dags()).extracting(Dag::dagId).containsExactly("customer_acme", "customer_zeta");
    assertThat(r.errors()).singleElement().satisfies(e -> assertThat(e.message()).contains("61"));
  }

  @Test
  void editingTheDataFileMakesTheProcessorParseAgain() throws Exception {
    Path dags = Files.createDirectories(dir.resolve("dags"));
    Files.writeString(dags.resolve("customers.yaml"), TEMPLATE);
    Files.writeString(dags.resolve("customers.csv"), "id,cron,region,retries\nacme,@daily,eu,2\n");
    try (Database db = Database.open("jdbc:h2:file:" + dir.resolve("db"))) {
      db.migrate();
      try (DagProcessor processor =
          new DagProcessor(
              db,
              new DagProcessor.Settings(
                  dags, false, Duration.ofSeconds(30), Duration.ofHours(1), 2),
              Clock.systemUTC())) {
        assertThat(processor.scan().written()).isEqualTo(1);
        assertThat(processor.scan().parsed()).as("nothing changed").isZero();
        Files.writeString(
            dags.resolve("customers.csv"),
            "id,cron,region,retries\nacme,@hourly,eu,2\nnewco,@daily,eu,0\n");
        DagProcessor.Report edited = processor.scan();
        assertThat(edited.parsed()).isEqualTo(1);
        assertThat(edited.written()).as("acme changed, newco is new").isEqualTo(2);
        SerializedDagRepository versions = new SerializedDagRepository(db);
        assertThat(versions.versions("customer_acme")).hasSize(2);
        assertThat(versions.latestHash("customer_newco")).isPresent();
        Files.writeString(dags.resolve("customers.csv"), "id,cron,region,retries\n");
        assertThat(processor.scan().deactivated()).isEqualTo(2);
      }
    }
  }
}
