package io.updraft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.dagproc.DagProcessor;
import io.updraft.store.Database;
import io.updraft.store.LogRepository;
import io.updraft.store.LogRow;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Assets end to end: the DAG processor registers what a DAG's outlets name, a real run (real shell
 * processes through the scheduler and the local executor) records one event per outlet of the task
 * that succeeded and none for the one that failed, and {@code assets list | events | create-event}
 * show and add them.
 */
class AssetsCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RUN = "manual__2024-03-01T00:00:00+00:00";

  @TempDir Path home;
  @TempDir Path dags;

  private CliRun run(String... args) {
    return CliRun.in(home, dags, args);
  }

  @Test
  void aRealRunRecordsEventsThatTheCommandsListAndAPersonCanAddOne() throws Exception {
    Files.writeString(
        dags.resolve("etl.yaml"),
        """
        dag_id: etl
        schedule: "@daily"
        start_date: 2024-01-01
        tasks:
          - task_id: publish
            operator: shell
            command: "echo published"
            outlets: [s3://bucket/orders.csv, daily_orders]
          - task_id: broken
            operator: shell
            command: "exit 3"
            outlets: [s3://bucket/never]
        """);
    String url = "jdbc:h2:file:" + home.resolve("db");
    assertThat(run("--db-url", url, "db", "migrate").exitCode()).isZero();
    try (Database db = Database.open(url)) {
      try (DagProcessor processor =
          new DagProcessor(
              db,
              new DagProcessor.Settings(
                  dags, false, Duration.ofSeconds(30), Duration.ofMinutes(1), 1),
              Clock.systemUTC())) {
        processor.scan();
      }
    }

    CliRun listed = run("--db-url", url, "assets", "list", "-o", "json");
    assertThat(listed.exitCode()).as(listed.err()).isZero();
    List<String> uris = new ArrayList<>();
    JSON.readTree(listed.out()).forEach(a -> uris.add(a.get("uri").asText()));
    assertThat(uris)
        .as("registered when the DAG was stored, before any event")
        .containsExactly("daily_orders", "s3://bucket/never", "s3://bucket/orders.csv");
    assertThat(JSON.readTree(listed.out()).get(0).get("producing_tasks").get(0).asText())
        .isEqualTo("etl.publish");
    assertThat(run("--db-url", url, "assets", "events").out()).doesNotContain("etl");

    CliRun test = run("--db-url", url, "dags", "test", "etl", "2024-03-01");
    assertThat(test.exitCode()).as(test.out() + test.err()).isEqualTo(1); // broken failed

    CliRun events = run("--db-url", url, "assets", "events", "-o", "json");
    assertThat(events.exitCode()).as(events.err()).isZero();
    JsonNode all = JSON.readTree(events.out());
    assertThat(all).hasSize(2);
    TaskInstanceRow publish;
    try (Database db = Database.open(url)) {
      publish =
          new TaskInstanceRepository(db)
              .listForRun("etl", RUN).stream()
                  .filter(t -> t.taskId().equals("publish"))
                  .findFirst()
                  .orElseThrow();
    }
    List<String> eventUris = new ArrayList<>();
    for (JsonNode e : all) {
      eventUris.add(e.get("uri").asText());
      assertThat(e.get("source_dag_id").asText()).isEqualTo("etl");
      assertThat(e.get("source_task_id").asText()).isEqualTo("publish");
      assertThat(e.get("source_run_id").asText()).isEqualTo(RUN);
      assertThat(e.get("source_map_index").asInt()).isEqualTo(-1);
      assertThat(e.get("timestamp").asText())
          .as("at the end of the try that succeeded")
          .isEqualTo(JsonOutput.instant(publish.endDate()));
      assertThat(e.get("extra").isObject()).isTrue();
    }
    assertThat(eventUris).containsExactlyInAnyOrder("s3://bucket/orders.csv", "daily_orders");

    CliRun marked = run("--db-url", url, "tasks", "set-state", "etl", RUN, "broken", "success");
    assertThat(marked.exitCode()).as(marked.out() + marked.err()).isZero();
    assertThat(JSON.readTree(run("--db-url", url, "assets", "events", "-o", "json").out()))
        .as("marked success by hand: no event (Airflow's rule)")
        .hasSize(2);

    CliRun created =
        run(
            "--db-url",
            url,
            "assets",
            "create-event",
            "daily_orders",
            "--extra",
            "{\"rows\": 42, \"api_token\": \"s3cr3t\"}");
    assertThat(created.exitCode()).as(created.err()).isZero();
    assertThat(created.out()).startsWith("asset event ").contains("of daily_orders");

    CliRun table = run("--db-url", url, "assets", "events", "--asset", "daily_orders");
    assertThat(table.exitCode()).as(table.err()).isZero();
    List<String> lines = table.out().lines().toList();
    assertThat(lines).hasSize(3); // header, the hand-made event (newest first), the run's
    assertThat(lines.get(0)).contains("uri").contains("source_run_id").contains("extra");
    assertThat(lines.get(1)).contains("\"rows\":42").contains("***").doesNotContain("s3cr3t");
    assertThat(lines.get(2)).contains("publish").contains(RUN);
    assertThat(run("--db-url", url, "assets", "events", "--limit", "1").out().lines()).hasSize(2);

    try (Database db = Database.open(url)) {
      LogRow audit = new LogRepository(db).recent(1).get(0);
      assertThat(audit.event()).isEqualTo("create_asset_event");
      assertThat(audit.owner()).isEqualTo(System.getProperty("user.name"));
      assertThat(audit.extra()).doesNotContain("s3cr3t");
    }
  }

  @Test
  void badInputIsAOneLineErrorAndExitTwo() throws Exception {
    String url = "jdbc:h2:file:" + home.resolve("db");
    assertThat(run("--db-url", url, "db", "migrate").exitCode()).isZero();
    CliRun unknown = run("--db-url", url, "assets", "create-event", "s3://nowhere");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("no asset 's3://nowhere'").contains("assets list");
    CliRun badUri = run("--db-url", url, "assets", "create-event", "airflow://x");
    assertThat(badUri.exitCode()).isEqualTo(2);
    assertThat(badUri.err()).contains("reserves");
    CliRun badExtra = run("--db-url", url, "assets", "create-event", "x", "--extra", "[1]");
    assertThat(badExtra.exitCode()).isEqualTo(2);
    assertThat(badExtra.err()).contains("--extra must be a JSON object");
    CliRun badLimit = run("--db-url", url, "assets", "events", "--limit", "0");
    assertThat(badLimit.exitCode()).isEqualTo(2);
    assertThat(run("--db-url", url, "assets", "list").out().lines()).hasSize(1); // the header
  }
}
