package io.updraft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.dagproc.DagProcessor;
import io.updraft.store.DagRunRepository;
import io.updraft.store.Database;
import io.updraft.store.DatabaseConfig;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import io.updraft.store.TaskInstanceTries;
import io.updraft.worker.template.PyDates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** dags test: one run to completion with real shell processes, through the scheduler. */
class DagsTestCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path home;
  @TempDir Path dags;

  private CliRun run(String... args) {
    return CliRun.in(home, dags, args);
  }

  private static Map<String, String> states(JsonNode result) {
    Map<String, String> m = new HashMap<>();
    result.get("tasks").forEach(t -> m.put(t.get("task_id").asText(), t.get("state").asText()));
    return m;
  }

  @Test
  void aSuccessfulRunExitsZeroWithSpecJson() throws Exception {
    Files.writeString(
        dags.resolve("ok.yaml"),
        """
        dag_id: ok
        schedule: "@daily"
        start_date: 2024-01-01
        params: {who: world}
        tasks:
          - {task_id: hello, operator: shell, command: "echo hello {{ params.who }} {{ ds }}"}
          - {task_id: skip, operator: shell, command: "exit 99", upstream: [hello]}
          - {task_id: after, operator: empty, upstream: [skip], trigger_rule: none_failed}
        """);
    CliRun r = run("dags", "test", "ok", "2024-01-02", "-o", "json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode result = JSON.readTree(r.out());
    assertThat(result.fieldNames())
        .toIterable()
        .containsExactly(
            "dag_id",
            "run_id",
            "state",
            "logical_date",
            "data_interval_start",
            "data_interval_end",
            "tasks",
            "callbacks");
    assertThat(result.get("state").asText()).isEqualTo("success");
    assertThat(result.get("run_id").asText()).isEqualTo("manual__2024-01-02T00:00:00+00:00");
    assertThat(result.get("data_interval_start").asText()).isEqualTo("2024-01-02T00:00:00.000Z");
    assertThat(states(result))
        .containsEntry("hello", "success")
        .containsEntry("skip", "skipped")
        .containsEntry("after", "success");
    Path log =
        home.resolve(
            "logs/dag_id=ok/run_id=manual__2024-01-02T00:00:00+00:00/task_id=hello/attempt=1.log");
    assertThat(Files.readString(log)).contains("hello world 2024-01-02");
  }

  /**
   * A date given on the command line without an offset is UTC midnight, as in Airflow, whatever the
   * DAG's time zone: {@code ds} is the date that was typed.
   */
  @Test
  void aDateWithoutAnOffsetIsUtcInAnyTimeZone() throws Exception {
    Files.writeString(
        dags.resolve("ams.yaml"),
        """
        dag_id: ams
        schedule: "@daily"
        timezone: Europe/Amsterdam
        start_date: 2024-01-01
        tasks:
          - {task_id: day, operator: shell, command: "echo {{ ds }} {{ ts }}"}
        """);
    CliRun r = run("dags", "test", "ams", "2024-05-10", "-o", "json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode result = JSON.readTree(r.out());
    assertThat(result.get("run_id").asText()).isEqualTo("manual__2024-05-10T00:00:00+00:00");
    assertThat(result.get("logical_date").asText()).isEqualTo("2024-05-10T00:00:00.000Z");
    Path log =
        home.resolve(
            "logs/dag_id=ams/run_id=manual__2024-05-10T00:00:00+00:00/task_id=day/attempt=1.log");
    assertThat(Files.readString(log)).contains("2024-05-10 2024-05-10T00:00:00+00:00");

    CliRun localTime = run("tasks", "test", "ams", "day", "2024-05-10T06:30");
    assertThat(localTime.out()).contains("return value: 2024-05-10 2024-05-10T06:30:00+00:00");
    CliRun offset = run("tasks", "test", "ams", "day", "2024-05-10T00:30:00+02:00");
    assertThat(offset.out()).contains("return value: 2024-05-09 2024-05-09T22:30:00+00:00");
  }

  /** conf is the configuration in effect, as in Airflow; the run's conf is dag_run.conf. */
  @Test
  void templatesSeeTheConfigurationAsConfAndTheRunsConfAsJson() throws Exception {
    Files.writeString(home.resolve("updraft.yaml"), "core:\n  parallelism: 7\n");
    Files.writeString(
        dags.resolve("c.yaml"),
        """
        dag_id: c
        schedule: null
        tasks:
          - task_id: show
            operator: shell
            command: "echo {{ conf.get('core', 'parallelism') }} '{{ dag_run.conf }}'"
        """);
    CliRun r = run("dags", "test", "c", "--conf", "{\"ids\": [1, 2], \"to\": \"x\"}");
    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    try (var logs = Files.walk(home.resolve("logs/dag_id=c"))) {
      Path log = logs.filter(p -> p.toString().endsWith("attempt=1.log")).findFirst().orElseThrow();
      assertThat(Files.readString(log)).contains("\n7 {\"ids\": [1, 2], \"to\": \"x\"}\n");
    }
  }

  /**
   * SPEC's own example: {@code command: ./extract.sh {{ ds }}} runs the script next to the DAG
   * file, in dags test (through the scheduler and the executor) and in tasks test.
   */
  @Test
  void aShellTaskRunsInItsDagFilesFolder() throws Exception {
    Path sub = Files.createDirectories(dags.resolve("orders"));
    Files.writeString(
        sub.resolve("orders.yaml"),
        """
        dag_id: orders
        schedule: "@daily"
        start_date: 2024-01-01
        tasks:
          - {task_id: extract, operator: shell, command: "./extract.sh {{ ds }}"}
        """);
    Files.writeString(
        sub.resolve("extract.sh"), "#!/usr/bin/env bash\necho \"extract $1 in $(pwd -P)\"\n");
    sub.resolve("extract.sh").toFile().setExecutable(true);
    CliRun r = run("dags", "test", "orders", "2024-05-10", "-o", "json");
    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    assertThat(states(JSON.readTree(r.out()))).containsEntry("extract", "success");
    Path log =
        home.resolve(
            "logs/dag_id=orders/run_id=manual__2024-05-10T00:00:00+00:00/task_id=extract/"
                + "attempt=1.log");
    assertThat(Files.readString(log)).contains("extract 2024-05-10 in " + sub.toRealPath());
    CliRun task = run("tasks", "test", "orders", "extract", "2024-05-11");
    assertThat(task.exitCode()).as(task.out()).isZero();
    assertThat(task.out()).contains("extract 2024-05-11 in " + sub.toRealPath());
  }

  @Test
  void aFailedRunExitsOneAndPropagates() throws Exception {
    Files.writeString(
        dags.resolve("f.yaml"),
        """
        dag_id: f
        schedule: null
        tasks:
          - {task_id: a, operator: shell, command: "exit 2", retries: 1, retry_delay: 0s}
          - {task_id: b, operator: shell, command: "true", upstream: [a]}
          - {task_id: alert, operator: shell, command: "true", upstream: [a], trigger_rule: one_failed}
        """);
    CliRun r = run("dags", "test", "f", "-o", "json");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
    JsonNode result = JSON.readTree(r.out());
    assertThat(states(result))
        .containsEntry("a", "failed")
        .containsEntry("b", "upstream_failed")
        .containsEntry("alert", "success");
    JsonNode a = result.get("tasks").get(0);
    assertThat(a.get("try_number").asInt()).as("retried once").isEqualTo(2);
  }

  @Test
  void badInputExitsTwo() throws Exception {
    Files.writeString(
        dags.resolve("ok.yaml"),
        "dag_id: ok\nschedule: null\ntasks: [{task_id: a, operator: empty}]\n");
    for (String[] args :
        new String[][] {
          {"dags", "test", "nope"},
          {"dags", "test", "ok", "not-a-date"},
          {"dags", "test", "ok", "--conf", "[]"},
          {"--db-url", "jdbc:h2:mem:x", "dags", "test", "ok"},
        }) {
      CliRun r = run(args);
      assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(2);
      assertThat(r.err().lines()).as(String.join(" ", args)).hasSize(1);
    }
    assertThat(run("dags", "test", "ok", "not-a-date").err())
        .contains("LOGICAL_DATE 'not-a-date' is not an instant")
        .doesNotContain("--since");
  }

  @Test
  void withDbUrlTheRunStaysInThatDatabaseAndNothingElseIsScheduled() throws Exception {
    Files.writeString(
        dags.resolve("ok.yaml"),
        """
        dag_id: ok
        schedule: null
        tasks:
          - {task_id: a, operator: shell, command: "echo run {{ run_id }}"}
          - {task_id: b, operator: shell, command: "echo got {{ ti.xcom_pull(task_ids='a') }}",
             upstream: [a]}
        """);
    Files.writeString(
        dags.resolve("other.yaml"),
        "dag_id: other\nschedule: \"@daily\"\nstart_date: 2024-01-01\n"
            + "tasks: [{task_id: x, operator: empty}]\n");
    String url = "jdbc:h2:file:" + home.resolve("shared-db");
    assertThat(run("--db-url", url, "db", "migrate").exitCode()).isZero();
    // "other" is in the database and unpaused: a real scheduler would create its runs.
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

    CliRun r = run("--db-url", url, "dags", "test", "ok", "2024-03-01", "-o", "json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(states(JSON.readTree(r.out()))).containsEntry("b", "success");

    CliRun runs = run("--db-url", url, "dags", "list-runs", "ok", "-o", "json");
    assertThat(runs.exitCode()).as(runs.err()).isZero();
    assertThat(JSON.readTree(runs.out()).get(0).get("state").asText()).isEqualTo("success");
    CliRun others = run("--db-url", url, "dags", "list-runs", "other", "-o", "json");
    assertThat(JSON.readTree(others.out())).as("dags test schedules only its own run").isEmpty();
    Path log =
        home.resolve(
            "logs/dag_id=ok/run_id=manual__2024-03-01T00:00:00+00:00/task_id=b/attempt=1.log");
    assertThat(Files.readString(log)).contains("got run manual__2024-03-01T00:00:00+00:00");

    CliRun again = run("--db-url", url, "dags", "test", "ok", "2024-03-01");
    assertThat(again.exitCode()).as("the same logical date twice").isEqualTo(2);
    assertThat(again.err().lines()).hasSize(1);
  }

  /**
   * Airflow's {@code prev_*_success}: the latest successful run of the DAG before this one's
   * logical date, read from the database; None before any, and a failed run does not count.
   */
  @Test
  void prevSuccessValuesComeFromTheLastSuccessfulRunInTheDatabase() throws Exception {
    Files.writeString(
        dags.resolve("prev.yaml"),
        """
        dag_id: prev
        schedule: "@daily"
        start_date: 2024-01-01
        tasks:
          - task_id: show
            operator: shell
            command: >-
              {% if dag_run.conf.get('fail') %}exit 1;{% endif %}
              echo "prev {{ prev_data_interval_start_success }} /
              {{ prev_data_interval_end_success }} / {{ prev_start_date_success }}"
        """);
    String url = "jdbc:h2:file:" + home.resolve("prev-db");
    assertThat(run("--db-url", url, "db", "migrate").exitCode()).isZero();

    assertThat(run("--db-url", url, "dags", "test", "prev", "2024-01-01").exitCode()).isZero();
    assertThat(showLog("2024-01-01")).contains("\nprev None / None / None\n");
    CliRun failed =
        run("--db-url", url, "dags", "test", "prev", "2024-01-02", "--conf", "{\"fail\": 1}");
    assertThat(failed.exitCode()).as(failed.out() + failed.err()).isEqualTo(1);
    CliRun third = run("--db-url", url, "dags", "test", "prev", "2024-01-03");
    assertThat(third.exitCode()).as(third.out() + third.err()).isZero();

    Instant firstStarted;
    try (Database db = Database.open(url)) {
      firstStarted =
          new DagRunRepository(db)
              .get("prev", "manual__2024-01-01T00:00:00+00:00")
              .orElseThrow()
              .startDate();
    }
    assertThat(showLog("2024-01-03"))
        .contains(
            "\nprev 2024-01-01 00:00:00+00:00 / 2024-01-02 00:00:00+00:00 / "
                + PyDates.isoformat(firstStarted, ' ')
                + "\n");
  }

  private String showLog(String day) throws java.io.IOException {
    return Files.readString(
        home.resolve(
            "logs/dag_id=prev/run_id=manual__"
                + day
                + "T00:00:00+00:00/task_id=show/attempt=1.log"));
  }

  /** DAG p: load (in pool etl), then after (in default_pool). */
  private void writeDagWithATaskInPoolEtl() throws java.io.IOException {
    Files.writeString(
        dags.resolve("p.yaml"),
        """
        dag_id: p
        schedule: null
        tasks:
          - {task_id: load, operator: shell, pool: etl, command: "echo loaded"}
          - {task_id: after, operator: shell, command: "true", upstream: [load]}
        """);
  }

  /**
   * The throw-away database has only default_pool: a task in a named pool would wait for a slot
   * forever. The home database's pools are copied into it.
   */
  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aTaskInANamedPoolRunsWithTheHomeDatabasesPools() throws Exception {
    writeDagWithATaskInPoolEtl();
    assertThat(run("db", "migrate").exitCode()).isZero();
    CliRun set = run("pools", "set", "etl", "2");
    assertThat(set.exitCode()).as(set.err()).isZero();

    CliRun r = run("dags", "test", "p", "2024-01-01", "-o", "json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(states(JSON.readTree(r.out())))
        .containsEntry("load", "success")
        .containsEntry("after", "success");
    try (Database db = Database.open(DatabaseConfig.defaultUrl(home))) {
      assertThat(new DagRunRepository(db).list("p", 10))
          .as("the home database only lent its pools")
          .isEmpty();
    }
  }

  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aTaskInAPoolThatExistsNowhereIsRefusedAtOnce() throws Exception {
    writeDagWithATaskInPoolEtl();
    CliRun noHome = run("dags", "test", "p");
    assertThat(noHome.exitCode()).as(noHome.out() + noHome.err()).isEqualTo(2);
    assertThat(noHome.err().lines()).hasSize(1);
    assertThat(noHome.err()).contains("'etl'").contains("load").contains("updraft pools set etl");
    assertThat(Files.exists(home.resolve("updraft.mv.db"))).as("no home database made").isFalse();

    assertThat(run("db", "migrate").exitCode()).isZero();
    CliRun withoutPool = run("dags", "test", "p");
    assertThat(withoutPool.exitCode()).as(withoutPool.err()).isEqualTo(2);
    assertThat(withoutPool.err().lines()).hasSize(1);
    assertThat(withoutPool.err()).contains("'etl'").contains("updraft pools set etl");

    String url = "jdbc:h2:file:" + home.resolve("other-db");
    assertThat(run("--db-url", url, "db", "migrate").exitCode()).isZero();
    CliRun onUrl = run("--db-url", url, "dags", "test", "p");
    assertThat(onUrl.exitCode()).as(onUrl.err()).isEqualTo(2);
    assertThat(onUrl.err().lines()).hasSize(1);
    assertThat(onUrl.err()).contains("'etl'").contains("updraft pools set etl");
    try (Database db = Database.open(url)) {
      assertThat(new DagRunRepository(db).list("p", 10))
          .as("refused before anything was written")
          .isEmpty();
    }
  }

  @Test
  void tasksTestRunsOneTaskWithoutItsUpstreamAndRecordsNothing() throws Exception {
    Files.writeString(
        dags.resolve("t.yaml"),
        """
        dag_id: t
        schedule: "@daily"
        start_date: 2024-01-01
        params: {who: world}
        tasks:
          - {task_id: first, operator: shell, command: "exit 1"}
          - {task_id: greet, operator: shell, command: "echo hello {{ params.who }} {{ ds }}",
             upstream: [first]}
          - {task_id: boom, operator: shell, command: "echo oops >&2; exit 3"}
        """);
    CliRun ok = run("tasks", "test", "t", "greet", "2024-03-05");
    assertThat(ok.exitCode()).as(ok.err()).isZero();
    assertThat(ok.out())
        .contains("run_id=manual__2024-03-05T00:00:00+00:00")
        .contains("task greet: success (return value: hello world 2024-03-05)");
    CliRun failed = run("tasks", "test", "t", "boom");
    assertThat(failed.exitCode()).isEqualTo(1);
    assertThat(failed.out()).contains("oops").contains("task boom: failed");
    CliRun unknown = run("tasks", "test", "t", "nope");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).hasLineCount(1).contains("its tasks are");
    assertThat(Files.exists(home.resolve("updraft.mv.db"))).as("no database touched").isFalse();
  }

  /**
   * Pools, priorities, execution timeouts, retries with a delay and trigger rules, end to end: real
   * processes through the scheduler loop and the local executor, on a migrated database with a
   * one-slot pool.
   */
  @Test
  void poolsPrioritiesTimeoutsAndRetryDelaysEndToEnd() throws Exception {
    Path order = home.resolve("order");
    Path marker = home.resolve("failed-once");
    Files.writeString(
        dags.resolve("e2e.yaml"),
        """
        dag_id: e2e
        schedule: null
        tasks:
          - {task_id: low, operator: shell, pool: one, priority_weight: 1, weight_rule: absolute,
             command: "echo low >> ORDER; sleep 0.2"}
          - {task_id: high, operator: shell, pool: one, priority_weight: 9, weight_rule: absolute,
             command: "echo high >> ORDER; sleep 0.2"}
          - {task_id: mid, operator: shell, pool: one, priority_weight: 5, weight_rule: absolute,
             command: "echo mid >> ORDER; sleep 0.2"}
          - {task_id: hang, operator: shell, execution_timeout: 1s, command: "sleep 30"}
          - {task_id: on_timeout, operator: shell, command: "true", upstream: [hang],
             trigger_rule: one_failed}
          - {task_id: flaky, operator: shell, retries: 1, retry_delay: 1s,
             command: "if [ -e MARKER ]; then echo ok; else touch MARKER; exit 1; fi"}
        """
            .replace("ORDER", order.toString())
            .replace("MARKER", marker.toString()));
    String url = "jdbc:h2:file:" + home.resolve("e2e-db");
    assertThat(run("--db-url", url, "db", "migrate").exitCode()).isZero();
    assertThat(run("--db-url", url, "pools", "set", "one", "1").exitCode()).isZero();

    long start = System.nanoTime();
    CliRun r = run("--db-url", url, "dags", "test", "e2e", "2024-05-01", "-o", "json");
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    // hang failed, but the leaves (on_timeout among them) succeeded: so did the run, as in Airflow.
    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    JsonNode result = JSON.readTree(r.out());
    Map<String, String> states = states(result);
    assertThat(states)
        .containsEntry("low", "success")
        .containsEntry("mid", "success")
        .containsEntry("high", "success")
        .containsEntry("hang", "failed")
        .containsEntry("on_timeout", "success")
        .containsEntry("flaky", "success");
    assertThat(took)
        .as("the 30 s command was killed at its 1 s timeout")
        .isLessThan(Duration.ofSeconds(25));
    // One slot: highest priority first, and never two at once.
    assertThat(Files.readAllLines(order)).containsExactly("high", "mid", "low");
    Map<String, JsonNode> byId = new HashMap<>();
    result.get("tasks").forEach(t -> byId.put(t.get("task_id").asText(), t));
    for (String[] pair : new String[][] {{"high", "mid"}, {"mid", "low"}}) {
      Instant firstEnd = Instant.parse(byId.get(pair[0]).get("end_date").asText());
      Instant nextStart = Instant.parse(byId.get(pair[1]).get("start_date").asText());
      assertThat(nextStart).as(pair[1] + " after " + pair[0]).isAfterOrEqualTo(firstEnd);
    }
    // The retry waited for its delay after the failed first try.
    assertThat(byId.get("flaky").get("try_number").asInt()).isEqualTo(2);
    try (Database db = Database.open(url)) {
      TaskInstanceRepository tis = new TaskInstanceRepository(db);
      TaskInstanceRow flaky =
          tis.listForRun("e2e", "manual__2024-05-01T00:00:00+00:00").stream()
              .filter(t -> t.taskId().equals("flaky"))
              .findFirst()
              .orElseThrow();
      List<TaskInstanceTries.Try> tries = new TaskInstanceTries(db).history(flaky.id());
      assertThat(tries).hasSize(2);
      assertThat(Duration.between(tries.get(0).endDate(), tries.get(1).startDate()))
          .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }
    Path hangLog =
        home.resolve(
            "logs/dag_id=e2e/run_id=manual__2024-05-01T00:00:00+00:00/task_id=hang/attempt=1.log");
    assertThat(Files.readString(hangLog)).contains("timeout");
  }

  @Test
  void callbacksRunAfterTheRunAndAreReported() throws Exception {
    Path out = home.resolve("alerts.txt");
    Files.writeString(
        dags.resolve("cb.yaml"),
        """
        dag_id: cb
        schedule: null
        on_failure: {shell: "echo run {{ run_id }} {{ reason }} >> %1$s"}
        tasks:
          - task_id: boom
            operator: shell
            command: "exit 3"
            on_execute: {shell: "echo started {{ ti.task_id }} >> %1$s"}
            on_failure:
              - shell: "echo failed {{ ti.task_id }}: {{ exception }} >> %1$s"
              - shell: "echo broken notifier; exit 5"
        """
            .formatted(out));
    CliRun r = run("dags", "test", "cb", "2024-01-02", "-o", "json");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.FAILED_RUN);
    JsonNode result = JSON.readTree(r.out());
    assertThat(result.get("state").asText()).isEqualTo("failed");
    JsonNode callbacks = result.get("callbacks");
    assertThat(callbacks).hasSize(4);
    Map<String, String> byEvent = new HashMap<>();
    callbacks.forEach(
        c ->
            byEvent.merge(
                c.get("event").asText() + "/" + c.get("task_id").asText(),
                c.get("state").asText(),
                (a, b) -> a + "," + b));
    assertThat(byEvent)
        .containsEntry("on_execute/boom", "success")
        .containsEntry("on_failure/boom", "success,failed")
        .containsEntry("on_failure/null", "success");
    JsonNode broken =
        java.util.stream.StreamSupport.stream(callbacks.spliterator(), false)
            .filter(c -> c.get("state").asText().equals("failed"))
            .findFirst()
            .orElseThrow();
    assertThat(broken.get("attempts").asInt()).isEqualTo(3);
    assertThat(broken.get("error").asText()).isEqualTo("the command exited with code 5");
    assertThat(Files.readString(Path.of(broken.get("log").asText()))).contains("broken notifier");
    assertThat(Files.readAllLines(out))
        .containsExactlyInAnyOrder(
            "started boom",
            "failed boom: command exited with code 3",
            "run manual__2024-01-02T00:00:00+00:00 failed");

    CliRun text = run("dags", "test", "cb", "2024-01-03");
    assertThat(text.out()).contains("callbacks: 4 run after the run (3 delivered, 1 failed)");
  }
}
