package io.updraft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.dag.Dag;
import io.updraft.sdk.Dags;
import io.updraft.sdk.Tasks;
import io.updraft.serde.DagSerializer;
import io.updraft.store.DagRepository;
import io.updraft.store.Database;
import io.updraft.store.DatabaseConfig;
import io.updraft.store.SerializedDagRepository;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** trigger, pause, unpause, list-runs and tasks states against the embedded database of a home. */
class RunCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path home;

  private CliRun run(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--home";
    all[1] = home.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return CliRun.of(all);
  }

  private static Dag dag() {
    return Dags.dag("orders")
        .schedule("@daily")
        .startDate("2024-01-01")
        .task(Tasks.shell("extract", "true"))
        .task(Tasks.shell("load", "true").upstream("extract"))
        .build();
  }

  @BeforeEach
  void dagInTheDatabase() {
    Dag dag = dag();
    try (Database db = Database.open(DatabaseConfig.defaultUrl(home))) {
      db.migrate();
      Instant now = Instant.parse("2024-01-05T00:00:00Z");
      new SerializedDagRepository(db).store("orders", DagSerializer.serialize(dag), "o.yaml", now);
      new DagRepository(db).upsert(dag, "o.yaml", true, now);
    }
  }

  @Test
  void triggerCreatesAQueuedManualRunWithItsTasks() throws Exception {
    CliRun trigger =
        run(
            "dags",
            "trigger",
            "orders",
            "--logical-date",
            "2024-01-03T00:00:00Z",
            "--conf",
            "{\"table\": \"x\"}",
            "-o",
            "json");
    assertThat(trigger.exitCode()).as(trigger.err()).isZero();
    JsonNode created = JSON.readTree(trigger.out());
    assertThat(created.toString())
        .isEqualTo(
            "{\"dag_id\":\"orders\",\"run_id\":\"manual__2024-01-03T00:00:00+00:00\","
                + "\"run_type\":\"manual\",\"state\":\"queued\","
                + "\"logical_date\":\"2024-01-03T00:00:00.000Z\","
                + "\"data_interval_start\":\"2024-01-03T00:00:00.000Z\","
                + "\"data_interval_end\":\"2024-01-04T00:00:00.000Z\","
                + "\"start_date\":null,\"end_date\":null,"
                + "\"dag_version\":1,\"dag_hash\":\""
                + DagSerializer.hash(dag())
                + "\"}");

    JsonNode runs = JSON.readTree(run("dags", "list-runs", "orders", "-o", "json").out());
    assertThat(runs).hasSize(1);
    assertThat(runs.get(0).get("run_id").asText()).isEqualTo("manual__2024-01-03T00:00:00+00:00");

    CliRun states =
        run("tasks", "states", "orders", "manual__2024-01-03T00:00:00+00:00", "-o", "json");
    assertThat(states.exitCode()).as(states.err()).isZero();
    JsonNode tis = JSON.readTree(states.out());
    assertThat(tis).hasSize(2);
    assertThat(tis.get(0).fieldNames())
        .toIterable()
        .containsExactly("task_id", "state", "try_number", "start_date", "end_date", "duration");
    assertThat(tis.findValuesAsText("state")).containsOnly("none");
  }

  /** A --logical-date without an offset is UTC, as in Airflow, whatever the DAG's time zone. */
  @Test
  void aLogicalDateWithoutAnOffsetIsUtc() throws Exception {
    Dag amsterdam =
        Dags.dag("ams")
            .schedule("@daily")
            .timezone("Europe/Amsterdam")
            .startDate("2024-01-01")
            .task(Tasks.shell("t", "true"))
            .build();
    try (Database db = Database.open(DatabaseConfig.defaultUrl(home))) {
      Instant now = Instant.parse("2024-01-05T00:00:00Z");
      new SerializedDagRepository(db)
          .store("ams", DagSerializer.serialize(amsterdam), "a.yaml", now);
      new DagRepository(db).upsert(amsterdam, "a.yaml", true, now);
    }
    for (String[] given :
        new String[][] {
          {"2024-05-10", "2024-05-10T00:00:00.000Z"},
          {"2024-05-11T06:30", "2024-05-11T06:30:00.000Z"},
          {"2024-05-12T06:30:00+02:00", "2024-05-12T04:30:00.000Z"},
        }) {
      CliRun r = run("dags", "trigger", "ams", "--logical-date", given[0], "-o", "json");
      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(JSON.readTree(r.out()).get("logical_date").asText()).isEqualTo(given[1]);
    }
  }

  @Test
  void triggerWithARunIdAndTheDuplicatesItRefuses() {
    CliRun first = run("dags", "trigger", "orders", "--run-id", "mine");
    assertThat(first.exitCode()).isZero();
    assertThat(first.out()).contains("the DAG is paused").contains("dags unpause orders");
    CliRun again = run("dags", "trigger", "orders", "--run-id", "mine");
    assertThat(again.exitCode()).isEqualTo(2);
    assertThat(again.err()).contains("already has a run").contains("mine");
    assertThat(again.err().lines()).hasSize(1);
  }

  @Test
  void badInputIsOneLineAndChangesNothing() throws Exception {
    for (String[] args :
        new String[][] {
          {"dags", "trigger", "orders", "--conf", "[1,2]"},
          {"dags", "trigger", "orders", "--conf", "{nope"},
          {"dags", "trigger", "orders", "--logical-date", "tomorrow"},
          {"dags", "trigger", "nosuch"},
          {"dags", "pause", "nosuch"},
          {"dags", "list-runs", "nosuch"},
          {"tasks", "states", "orders", "no_such_run"},
        }) {
      CliRun r = run(args);
      assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(r.err().lines()).as(String.join(" ", args) + ": " + r.err()).hasSize(1);
    }
    assertThat(JSON.readTree(run("dags", "list-runs", "orders", "-o", "json").out())).isEmpty();
  }

  /**
   * A run_id names a folder of the logs: one that could leave it (or split it into folders) is
   * refused where it enters, before anything is written — Airflow's run_id rule.
   */
  @Test
  void aRunIdThatCouldLeaveTheLogsFolderIsRefused() throws Exception {
    for (String bad : new String[] {"../../../../tmp/escape", "a b", "a/b", "x".repeat(251)}) {
      for (String[] args :
          new String[][] {
            {"dags", "trigger", "orders", "--run-id", bad},
            {"tasks", "states", "orders", bad},
            {"tasks", "logs", "orders", bad, "extract"},
          }) {
        CliRun r = run(args);
        assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(2);
        assertThat(r.err()).as(String.join(" ", args)).contains("is invalid: use 1 to 250");
        assertThat(r.err().lines()).as(String.join(" ", args)).hasSize(1);
      }
    }
    assertThat(JSON.readTree(run("dags", "list-runs", "orders", "-o", "json").out())).isEmpty();
    assertThat(home.resolve("tmp")).doesNotExist();
    assertThat(home.resolve("logs")).doesNotExist();
  }

  @Test
  void pauseAndUnpause() {
    assertThat(run("dags", "unpause", "orders").out()).contains("unpaused orders");
    try (Database db = Database.open(DatabaseConfig.defaultUrl(home))) {
      assertThat(new DagRepository(db).get("orders").orElseThrow().paused()).isFalse();
    }
    assertThat(run("dags", "pause", "orders").out()).contains("paused orders");
    try (Database db = Database.open(DatabaseConfig.defaultUrl(home))) {
      assertThat(new DagRepository(db).get("orders").orElseThrow().paused()).isTrue();
    }
  }

  @Test
  void dagsListAddsThePausedFlagAndNextRunFromTheDatabase() throws Exception {
    java.nio.file.Path dags = home.resolve("dags");
    java.nio.file.Files.createDirectories(dags);
    java.nio.file.Files.writeString(
        dags.resolve("o.yaml"),
        "dag_id: orders\nschedule: \"@daily\"\nstart_date: 2024-01-01\ntasks:\n"
            + "  - {task_id: extract, operator: shell, command: \"true\"}\n"
            + "  - {task_id: load, operator: shell, command: \"true\", upstream: [extract]}\n");
    JsonNode list = JSON.readTree(run("dags", "list", "-o", "json").out());
    assertThat(list.get(0).get("is_paused").asBoolean()).isTrue();
    // The row was stored without next-run fields: the database's answer wins over a computed one.
    assertThat(list.get(0).get("next_dagrun").isNull()).isTrue();
    CliRun unreachable =
        run("--db-url", "jdbc:postgresql://127.0.0.1:1/x", "dags", "list", "-o", "json");
    assertThat(unreachable.exitCode()).isZero();
    assertThat(unreachable.err()).contains("warning").contains("127.0.0.1:1");
    assertThat(JSON.readTree(unreachable.out()).get(0).get("is_paused").isNull()).isTrue();
  }

  @Test
  void tasksLogsPrintsATrysLog() throws Exception {
    assertThat(run("dags", "trigger", "orders", "--run-id", "r").exitCode()).isZero();
    try (Database db = Database.open(DatabaseConfig.defaultUrl(home))) {
      var tis = new io.updraft.store.TaskInstanceRepository(db);
      var extract =
          tis.listForRun("orders", "r").stream()
              .filter(t -> t.taskId().equals("extract"))
              .findFirst()
              .orElseThrow();
      tis.setStates(
          java.util.List.of(
              new io.updraft.store.StateChange(
                  extract.id(),
                  io.updraft.state.TaskInstanceState.NONE,
                  io.updraft.state.TaskInstanceState.SCHEDULED)),
          Instant.now());
      new io.updraft.store.TaskInstanceQueueing(db)
          .queue(java.util.List.of(extract.id()), 1, Instant.now());
      new io.updraft.store.TaskInstanceTries(db).start(extract.id(), "h", 1, Instant.now());
    }
    java.nio.file.Path log =
        home.resolve("logs/dag_id=orders/run_id=r/task_id=extract/attempt=1.log");
    java.nio.file.Files.createDirectories(log.getParent());
    java.nio.file.Files.writeString(log, "line one\nline two\n");

    CliRun logs = run("tasks", "logs", "orders", "r", "extract");
    assertThat(logs.exitCode()).as(logs.err()).isZero();
    assertThat(logs.out()).isEqualTo("line one\nline two\n");
    assertThat(run("tasks", "logs", "orders", "r", "extract", "--try", "1").out())
        .contains("line two");

    for (String[] args :
        new String[][] {
          {"tasks", "logs", "orders", "r", "extract", "--try", "2"},
          {"tasks", "logs", "orders", "r", "nope"},
          {"tasks", "logs", "orders", "r", "load"},
        }) {
      CliRun r = run(args);
      assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(r.err().lines()).as(String.join(" ", args)).hasSize(1);
    }
  }

  @Test
  void tasksLogsOfATaskThatHasNotRunSaysSo() {
    assertThat(run("dags", "trigger", "orders", "--run-id", "r").exitCode()).isZero();
    CliRun r = run("tasks", "logs", "orders", "r", "load");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("load in r has not run yet (state none)");
  }

  @Test
  void tasksClearChecksItsInputAndReportsWhatItCleared() {
    assertThat(run("dags", "trigger", "orders", "--run-id", "r").exitCode()).isZero();
    CliRun none = run("tasks", "clear", "orders", "-t", "extract", "--downstream");
    assertThat(none.exitCode()).as(none.err()).isZero();
    assertThat(none.out()).contains("cleared 0 task instance(s)"); // nothing has run yet
    for (String[] args :
        new String[][] {
          {"tasks", "clear", "orders", "-t", "(unclosed"},
          {"tasks", "clear", "orders", "--from", "soon"},
          {"tasks", "clear", "nosuch"},
        }) {
      CliRun r = run(args);
      assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(r.err().lines()).as(String.join(" ", args)).hasSize(1);
    }
  }

  @Test
  void eachRunShowsTheVersionItRunsOnAndShowVersionPrintsIt() throws Exception {
    assertThat(run("dags", "trigger", "orders", "--run-id", "before").exitCode()).isZero();
    Dag edited =
        Dags.dag("orders")
            .schedule("@daily")
            .startDate("2024-01-01")
            .task(Tasks.shell("extract", "true"))
            .task(Tasks.shell("load", "true").upstream("extract"))
            .task(Tasks.shell("report", "true").upstream("load"))
            .build();
    try (Database db = Database.open(DatabaseConfig.defaultUrl(home))) {
      new SerializedDagRepository(db)
          .store("orders", DagSerializer.serialize(edited), "o.yaml", Instant.now());
    }
    assertThat(run("dags", "trigger", "orders", "--run-id", "after").exitCode()).isZero();

    JsonNode runs = JSON.readTree(run("dags", "list-runs", "orders", "-o", "json").out());
    assertThat(runs.findValuesAsText("run_id")).containsExactly("after", "before");
    assertThat(runs.get(0).get("dag_version").asInt()).isEqualTo(2);
    assertThat(runs.get(1).get("dag_version").asInt()).isEqualTo(1);
    assertThat(runs.get(0).get("dag_hash").asText()).isEqualTo(DagSerializer.hash(edited));

    CliRun first = run("dags", "show", "orders", "--version", "1");
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out()).contains("load [shell]").doesNotContain("report").contains("version 1");
    CliRun byHash =
        run("dags", "show", "orders", "--version", DagSerializer.hash(edited).substring(0, 8));
    assertThat(byHash.out())
        .contains("report [shell]")
        .contains("version 2 (versions stored: 1, 2)");
    assertThat(run("dags", "show", "orders", "--version", "latest").out()).contains("version 2");

    CliRun missing = run("dags", "show", "orders", "--version", "7");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).hasLineCount(1).contains("use one of 1, 2");
    assertThat(run("--version").out()).startsWith("updraft ");
  }

  @Test
  void backfillQueuesEveryScheduledRunOfTheRangeOnce() throws Exception {
    CliRun first =
        run(
            "dags",
            "backfill",
            "orders",
            "--from",
            "2024-01-02",
            "--to",
            "2024-01-04",
            "-o",
            "json");
    assertThat(first.exitCode()).as(first.err()).isZero();
    JsonNode created = JSON.readTree(first.out());
    assertThat(created.findValuesAsText("run_id"))
        .containsExactly(
            "backfill__2024-01-02T00:00:00+00:00",
            "backfill__2024-01-03T00:00:00+00:00",
            "backfill__2024-01-04T00:00:00+00:00");
    assertThat(created.findValuesAsText("run_type")).containsOnly("backfill");
    assertThat(created.findValuesAsText("state")).containsOnly("queued");
    assertThat(created.get(0).get("data_interval_end").asText())
        .isEqualTo("2024-01-03T00:00:00.000Z");

    CliRun again = run("dags", "backfill", "orders", "--from", "2024-01-01", "--to", "2024-01-04");
    assertThat(again.out())
        .contains("created 1 backfill run(s)")
        .contains("skipped 3 logical date(s)")
        .contains("backfill__2024-01-01T00:00:00+00:00")
        .contains("the DAG is paused");

    for (String[] bad :
        new String[][] {
          {"dags", "backfill", "orders", "--from", "2024-01-04", "--to", "2024-01-02"},
          {"dags", "backfill", "orders", "--from", "2023-01-01", "--to", "2023-01-02"},
          {"dags", "backfill", "orders", "--from", "2024-01-01"},
          {"dags", "backfill", "nope", "--from", "2024-01-01", "--to", "2024-01-02"},
        }) {
      CliRun r = run(bad);
      assertThat(r.exitCode()).as(String.join(" ", bad)).isEqualTo(2);
      assertThat(r.err().lines()).as(String.join(" ", bad)).hasSize(1);
    }
  }
}
