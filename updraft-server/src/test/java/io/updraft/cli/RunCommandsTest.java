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
    finish("r", "extract", io.updraft.state.TaskInstanceState.RUNNING);
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

  @Test
  void aBadDateNamesTheOptionItWasGivenAs() {
    CliRun trigger = run("dags", "trigger", "orders", "--logical-date", "tomorrow");
    assertThat(trigger.exitCode()).isEqualTo(2);
    assertThat(trigger.err()).contains("--logical-date 'tomorrow'").doesNotContain("--since");
    CliRun clear = run("tasks", "clear", "orders", "--to", "soon");
    assertThat(clear.err()).contains("--to 'soon'").doesNotContain("--since");
    CliRun backfill = run("dags", "backfill", "orders", "--from", "x", "--to", "2024-01-02");
    assertThat(backfill.err()).contains("--from 'x'").doesNotContain("--since");
  }

  @Test
  void tasksStatesListsTasksInTheDagsOrderNotTextOrder() throws Exception {
    // t1 and t10 start the DAG; t2 follows t10; t11 follows t2. Text order: t1, t10, t11, t2.
    Dag many =
        Dags.dag("many")
            .task(Tasks.shell("t11", "true").upstream("t2"))
            .task(Tasks.shell("t2", "true").upstream("t10"))
            .task(Tasks.shell("t10", "true"))
            .task(Tasks.shell("t1", "true"))
            .build();
    try (Database db = Database.open(DatabaseConfig.defaultUrl(home))) {
      Instant now = Instant.parse("2024-01-05T00:00:00Z");
      new SerializedDagRepository(db).store("many", DagSerializer.serialize(many), "m.yaml", now);
      new DagRepository(db).upsert(many, "m.yaml", true, now);
    }
    assertThat(run("dags", "trigger", "many", "--run-id", "r").exitCode()).isZero();
    CliRun states = run("tasks", "states", "many", "r", "-o", "json");
    assertThat(states.exitCode()).as(states.err()).isZero();
    assertThat(JSON.readTree(states.out()).findValuesAsText("task_id"))
        .containsExactly("t1", "t10", "t2", "t11");
    assertThat(run("tasks", "states", "many", "r").out().lines().skip(1).map(l -> l.split(" ")[0]))
        .containsExactly("t1", "t10", "t2", "t11");
  }

  /** Moves a task instance of run r to running, then (unless running) to {@code end}. */
  private void finish(String runId, String taskId, io.updraft.state.TaskInstanceState end) {
    try (Database db = Database.open(DatabaseConfig.defaultUrl(home))) {
      var tis = new io.updraft.store.TaskInstanceRepository(db);
      var ti =
          tis.listForRun("orders", runId).stream()
              .filter(t -> t.taskId().equals(taskId))
              .findFirst()
              .orElseThrow();
      Instant now = Instant.now();
      if (end == io.updraft.state.TaskInstanceState.UPSTREAM_FAILED) {
        tis.setStates(
            java.util.List.of(
                new io.updraft.store.StateChange(
                    ti.id(), io.updraft.state.TaskInstanceState.NONE, end)),
            now);
        return;
      }
      tis.setStates(
          java.util.List.of(
              new io.updraft.store.StateChange(
                  ti.id(),
                  io.updraft.state.TaskInstanceState.NONE,
                  io.updraft.state.TaskInstanceState.SCHEDULED)),
          now);
      new io.updraft.store.TaskInstanceQueueing(db).queue(java.util.List.of(ti.id()), 1, now);
      new io.updraft.store.TaskInstanceTries(db).start(ti.id(), "h", 1, now);
      if (end != io.updraft.state.TaskInstanceState.RUNNING) {
        tis.setStates(
            java.util.List.of(
                new io.updraft.store.StateChange(
                    ti.id(), io.updraft.state.TaskInstanceState.RUNNING, end)),
            now);
      }
    }
  }

  private java.util.Map<String, String> states(String runId) throws Exception {
    java.util.Map<String, String> states = new java.util.TreeMap<>();
    for (JsonNode ti : JSON.readTree(run("tasks", "states", "orders", runId, "-o", "json").out())) {
      states.put(ti.get("task_id").asText(), ti.get("state").asText());
    }
    return states;
  }

  /** A clear run where there is no terminal, whatever the test JVM has. */
  private CliRun clear(String... args) {
    java.util.function.Supplier<TasksClearCommand.Terminal> before = TasksClearCommand.terminal;
    TasksClearCommand.terminal = () -> null;
    try {
      String[] all = new String[args.length + 3];
      all[0] = "tasks";
      all[1] = "clear";
      all[2] = "orders";
      System.arraycopy(args, 0, all, 3, args.length);
      return run(all);
    } finally {
      TasksClearCommand.terminal = before;
    }
  }

  @Test
  void tasksClearPrintsEachInstanceItClearedWithItsPreviousState() throws Exception {
    assertThat(run("dags", "trigger", "orders", "--run-id", "a").exitCode()).isZero();
    assertThat(run("dags", "trigger", "orders", "--run-id", "b").exitCode()).isZero();
    finish("a", "extract", io.updraft.state.TaskInstanceState.SUCCESS);
    finish("a", "load", io.updraft.state.TaskInstanceState.FAILED);
    finish("b", "extract", io.updraft.state.TaskInstanceState.FAILED);
    finish("b", "load", io.updraft.state.TaskInstanceState.UPSTREAM_FAILED);

    CliRun one = clear("--run-id", "a", "--only-failed");
    assertThat(one.exitCode()).as(one.err()).isZero();
    assertThat(one.out().lines())
        .containsExactly(
            "dag_id  run_id  task_id  previous_state",
            "orders  a       load     failed",
            "cleared 1 task instance(s) in orders; 0 finished run(s) queued again");
    assertThat(states("a")).containsEntry("extract", "success").containsEntry("load", "none");
    assertThat(states("b")).containsEntry("extract", "failed");

    CliRun json = clear("--only-failed", "-o", "json");
    assertThat(json.exitCode()).as(json.err()).isZero();
    JsonNode cleared = JSON.readTree(json.out());
    assertThat(cleared.get("total_entries").asInt()).isEqualTo(2);
    assertThat(cleared.get("task_instances").get(0).toString())
        .isEqualTo(
            "{\"dag_id\":\"orders\",\"run_id\":\"b\",\"task_id\":\"extract\","
                + "\"map_index\":-1,\"previous_state\":\"failed\"}");
    assertThat(cleared.get("task_instances").findValuesAsText("previous_state"))
        .containsExactly("failed", "upstream_failed");
    assertThat(states("b").values()).containsOnly("none");
    assertThat(states("a")).containsEntry("extract", "success");

    CliRun unknownRun = clear("--run-id", "nope");
    assertThat(unknownRun.exitCode()).isEqualTo(2);
    assertThat(unknownRun.err()).hasLineCount(1).contains("no run 'nope'");
  }

  @Test
  void clearingEveryRunOnATerminalAsksFirstUnlessYes() throws Exception {
    assertThat(run("dags", "trigger", "orders", "--run-id", "a").exitCode()).isZero();
    finish("a", "extract", io.updraft.state.TaskInstanceState.SUCCESS);
    java.util.List<String> asked = new java.util.ArrayList<>();
    java.util.function.Supplier<TasksClearCommand.Terminal> before = TasksClearCommand.terminal;
    try {
      TasksClearCommand.terminal =
          () ->
              question -> {
                asked.add(question);
                return false;
              };
      CliRun no = run("tasks", "clear", "orders");
      assertThat(no.exitCode()).as(no.err()).isZero();
      assertThat(asked).containsExactly("Clear these 1 task instance(s) in every run of orders?");
      assertThat(no.out()).contains("orders  a       extract  success").contains("cancelled");
      assertThat(states("a")).containsEntry("extract", "success");

      // One run named: nothing to ask.
      asked.clear();
      CliRun oneRun = run("tasks", "clear", "orders", "--run-id", "a", "-t", "load");
      assertThat(oneRun.out()).contains("cleared 0 task instance(s)");
      assertThat(asked).isEmpty();

      CliRun yes = run("tasks", "clear", "orders", "--yes");
      assertThat(yes.out()).contains("cleared 1 task instance(s)");
      assertThat(asked).isEmpty();
      assertThat(states("a")).containsEntry("extract", "none");

      finish("a", "extract", io.updraft.state.TaskInstanceState.FAILED);
      TasksClearCommand.terminal = () -> question -> asked.add(question);
      CliRun confirmed = run("tasks", "clear", "orders");
      assertThat(asked).hasSize(1);
      assertThat(confirmed.out()).contains("cleared 1 task instance(s)");
      assertThat(states("a")).containsEntry("extract", "none");
    } finally {
      TasksClearCommand.terminal = before;
    }
  }

  private java.util.List<io.updraft.store.LogRow> audit() {
    try (Database db = Database.open(DatabaseConfig.defaultUrl(home))) {
      return new io.updraft.store.LogRepository(db).recent(10);
    }
  }

  @Test
  void tasksSetStateMarksThroughTheSharedCodeAndIsAudited() throws Exception {
    assertThat(run("dags", "trigger", "orders", "--run-id", "a").exitCode()).isZero();
    finish("a", "extract", io.updraft.state.TaskInstanceState.FAILED);
    finish("a", "load", io.updraft.state.TaskInstanceState.UPSTREAM_FAILED);

    CliRun dry = run("tasks", "set-state", "orders", "a", "extract", "success", "--dry-run");
    assertThat(dry.exitCode()).as(dry.err()).isZero();
    assertThat(dry.out().lines())
        .containsExactly(
            "dag_id  run_id  task_id  previous_state",
            "orders  a       extract  failed",
            "would set 1 task instance(s) of orders a to success");
    assertThat(states("a")).containsEntry("extract", "failed");

    CliRun set = run("tasks", "set-state", "orders", "a", "extract", "success", "-o", "json");
    assertThat(set.exitCode()).as(set.err()).isZero();
    JsonNode json = JSON.readTree(set.out());
    assertThat(json.get("total_entries").asInt()).isEqualTo(1);
    assertThat(json.get("task_instances").get(0).get("previous_state").asText())
        .isEqualTo("failed");
    // marked success: the upstream_failed one downstream is cleared to run again
    assertThat(states("a")).containsEntry("extract", "success").containsEntry("load", "none");
    io.updraft.store.LogRow audit = audit().get(0);
    assertThat(audit.event()).isEqualTo("mark_success");
    assertThat(audit.owner()).isEqualTo(System.getProperty("user.name"));
    assertThat(audit.taskId()).isEqualTo("extract");

    CliRun up = run("tasks", "set-state", "orders", "a", "load", "failed", "--upstream");
    assertThat(up.exitCode()).as(up.err()).isZero();
    assertThat(states("a")).containsEntry("extract", "failed").containsEntry("load", "failed");

    for (String[] bad :
        new String[][] {
          {"tasks", "set-state", "orders", "a", "extract", "running"},
          {"tasks", "set-state", "orders", "nope", "extract", "success"},
          {"tasks", "set-state", "orders", "a", "nope", "success"},
          {"tasks", "set-state", "orders", "a", "extract", "success", "--map-index", "2"},
          {"tasks", "set-state", "nosuch", "a", "extract", "success"},
        }) {
      CliRun r = run(bad);
      assertThat(r.exitCode()).as(String.join(" ", bad)).isEqualTo(2);
      assertThat(r.err()).as(String.join(" ", bad)).hasLineCount(1);
    }
    assertThat(run("tasks", "set-state", "orders", "a", "extract", "running").err())
        .contains("success, failed, skipped");
  }

  @Test
  void dagsDeleteRunDeletesTheRunAndItsTaskInstances() throws Exception {
    assertThat(run("dags", "trigger", "orders", "--run-id", "a").exitCode()).isZero();
    assertThat(run("dags", "trigger", "orders", "--run-id", "b").exitCode()).isZero();
    finish("a", "extract", io.updraft.state.TaskInstanceState.SUCCESS);

    CliRun delete = run("dags", "delete-run", "orders", "a");
    assertThat(delete.exitCode()).as(delete.err()).isZero();
    assertThat(delete.out()).isEqualTo("deleted run a of orders" + System.lineSeparator());
    try (Database db = Database.open(DatabaseConfig.defaultUrl(home))) {
      assertThat(new io.updraft.store.DagRunRepository(db).get("orders", "a")).isEmpty();
      assertThat(new io.updraft.store.TaskInstanceRepository(db).listForRun("orders", "a"))
          .isEmpty();
      assertThat(new io.updraft.store.DagRunRepository(db).get("orders", "b")).isPresent();
    }
    io.updraft.store.LogRow audit = audit().get(0);
    assertThat(audit.event()).isEqualTo("delete_dag_run");
    assertThat(audit.runId()).isEqualTo("a");
    assertThat(audit.owner()).isEqualTo(System.getProperty("user.name"));

    CliRun again = run("dags", "delete-run", "orders", "a");
    assertThat(again.exitCode()).isEqualTo(2);
    assertThat(again.err()).hasLineCount(1).contains("no run 'a'");
  }
}
