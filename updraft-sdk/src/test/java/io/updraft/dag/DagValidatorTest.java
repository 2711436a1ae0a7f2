package io.updraft.dag;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DagValidatorTest {
  private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");

  private static Task shell(String id, String... upstream) {
    return Task.of(id, "shell", Map.of("command", "echo " + id)).withUpstream(List.of(upstream));
  }

  private static Dag dag(Schedule schedule, Task... tasks) {
    return new Dag(
        "d", null, schedule, null, START, null, false, 16, 16, null, null, null, List.of(tasks));
  }

  private static Dag dag(Task... tasks) {
    return dag(Schedule.Cron.of("@daily", false), tasks);
  }

  @Test
  void aValidDagHasNoProblems() {
    assertThat(DagValidator.validate(dag(shell("a"), shell("b", "a"), shell("c", "a", "b"))))
        .isEmpty();
  }

  @Test
  void dagIdMustMatchThePattern() {
    Dag bad =
        new Dag("my dag", null, null, null, null, null, false, 1, 1, null, null, null, List.of());
    assertThat(DagValidator.validate(bad))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo("dag_id");
              assertThat(p.message()).contains("'my dag'").contains("my_dag");
            });
    Dag longId =
        new Dag("x".repeat(251), null, null, null, null, null, false, 1, 1, null, null, null, null);
    assertThat(DagValidator.validate(longId)).extracting(Problem::path).containsExactly("dag_id");
    Dag okId =
        new Dag("a-b.c_D9", null, null, null, null, null, false, 1, 1, null, null, null, null);
    assertThat(DagValidator.validate(okId)).isEmpty();
  }

  @Test
  void taskIdsMustBeValidAndUnique() {
    List<Problem> problems = DagValidator.validate(dag(shell("a"), shell("b c"), shell("a")));
    assertThat(problems)
        .extracting(Problem::path)
        .containsExactly("tasks[1].task_id", "tasks[2].task_id");
    assertThat(problems.get(1).message()).contains("'a'").contains("tasks[0]");
  }

  @Test
  void unknownUpstreamNamesTheTaskAndSuggests() {
    List<Problem> problems = DagValidator.validate(dag(shell("extract"), shell("load", "extrct")));
    assertThat(problems)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo("tasks[1].upstream[0]");
              assertThat(p.message())
                  .contains("task 'load'")
                  .contains("'extrct'")
                  .contains("did you mean extract?");
            });
    List<Problem> far = DagValidator.validate(dag(shell("a"), shell("b", "zzzzzz")));
    assertThat(far.get(0).message()).contains("the tasks are a, b");
  }

  @Test
  void selfDependency() {
    assertThat(DagValidator.validate(dag(shell("a", "a"))))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo("tasks[0].upstream[0]");
              assertThat(p.message()).contains("itself");
            });
  }

  @Test
  void cycleIsNamedInOrder() {
    // a -> b -> c -> a, plus an unrelated d downstream of c.
    List<Problem> problems =
        DagValidator.validate(
            dag(shell("a", "c"), shell("b", "a"), shell("c", "b"), shell("d", "c")));
    assertThat(problems)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.message()).startsWith("cycle: a -> b -> c -> a");
              assertThat(p.path()).isEqualTo("tasks[0].upstream[0]");
            });
  }

  @Test
  void twoSeparateCyclesAreBothReported() {
    List<Problem> problems =
        DagValidator.validate(
            dag(shell("x", "y"), shell("y", "x"), shell("p", "q"), shell("q", "p"), shell("z")));
    assertThat(problems)
        .extracting(Problem::message)
        .anySatisfy(m -> assertThat(m).startsWith("cycle: x -> y -> x"))
        .anySatisfy(m -> assertThat(m).startsWith("cycle: p -> q -> p"))
        .hasSize(2);
  }

  @Test
  void shortestCycleThroughTheFirstTask() {
    // a -> b -> a and a -> c -> d -> a; the shorter one is reported.
    List<Problem> problems =
        DagValidator.validate(
            dag(shell("a", "d", "b"), shell("b", "a"), shell("c", "a"), shell("d", "c")));
    assertThat(problems)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.message()).startsWith("cycle: a -> b -> a");
              assertThat(p.path()).isEqualTo("tasks[0].upstream[1]");
            });
  }

  @Test
  void longChainDoesNotOverflow() {
    List<Task> tasks = new ArrayList<>();
    tasks.add(shell("t0"));
    for (int i = 1; i < 20_000; i++) {
      tasks.add(shell("t" + i, "t" + (i - 1)));
    }
    assertThat(DagValidator.validate(dag(tasks.toArray(Task[]::new)))).isEmpty();
  }

  @Test
  void startDateRequiredUnlessManual() {
    Dag noStart =
        new Dag(
            "d",
            null,
            Schedule.Cron.of("@daily", false),
            null,
            null,
            null,
            false,
            1,
            1,
            null,
            null,
            null,
            null);
    assertThat(DagValidator.validate(noStart))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo("start_date");
              assertThat(p.message()).contains("schedule: null");
            });
    Dag manual =
        new Dag(
            "d",
            null,
            new Schedule.Manual(),
            null,
            null,
            null,
            false,
            1,
            1,
            null,
            null,
            null,
            null);
    assertThat(DagValidator.validate(manual)).isEmpty();
  }

  @Test
  void endDateBeforeStartDate() {
    Dag d =
        new Dag(
            "d",
            null,
            null,
            null,
            START,
            START.minusSeconds(1),
            false,
            1,
            1,
            null,
            null,
            null,
            null);
    assertThat(DagValidator.validate(d)).extracting(Problem::path).containsExactly("end_date");
  }

  @Test
  void badCronNamesTheScheduleAndItsText() {
    for (String cron : List.of("* * *", "0 2 * *")) {
      assertThat(DagValidator.validate(dag(Schedule.Cron.of(cron, false), shell("a"))))
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.path()).isEqualTo("schedule");
                assertThat(p.message()).contains(cron);
              });
    }
  }

  @Test
  void continuousNeedsOneActiveRun() {
    assertThat(DagValidator.validate(dag(new Schedule.Continuous(), shell("a"))))
        .extracting(Problem::path)
        .containsExactly("max_active_runs");
  }

  @Test
  void limitsMustBePositive() {
    Dag d =
        new Dag(
            "d",
            null,
            null,
            null,
            null,
            null,
            false,
            0,
            -1,
            Duration.ofSeconds(-1),
            null,
            null,
            List.of(
                new Task(
                    "a",
                    "empty",
                    null,
                    null,
                    null,
                    -1,
                    Duration.ofSeconds(-5),
                    false,
                    null,
                    null,
                    null,
                    0,
                    1,
                    null,
                    null,
                    0,
                    false,
                    false,
                    null,
                    null,
                    null,
                    null,
                    null)));
    assertThat(DagValidator.validate(d))
        .extracting(Problem::path)
        .containsExactlyInAnyOrder(
            "max_active_runs",
            "max_active_tasks",
            "dagrun_timeout",
            "tasks[0].retries",
            "tasks[0].pool_slots",
            "tasks[0].max_active_tis_per_dag",
            "tasks[0].retry_delay");
  }

  @Test
  void unknownOperatorSuggests() {
    List<Problem> problems =
        DagValidator.validate(dag(Task.of("a", "shel", Map.of("command", "x"))));
    assertThat(problems)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.path()).isEqualTo("tasks[0].operator");
              assertThat(p.message())
                  .contains("unknown operator 'shel'")
                  .contains(
                      "use one of shell, empty, http, sql, branch, short_circuit, trigger_dag, email,"
                          + " sensor, or a custom")
                  .contains("did you mean shell?");
            });
  }

  @Test
  void operatorKeysAreChecked() {
    Map<String, Object> args = new LinkedHashMap<>();
    args.put("comand", "x");
    args.put("skip_on_exit_code", "ninety");
    List<Problem> problems = DagValidator.validate(dag(Task.of("a", "shell", args)));
    assertThat(problems)
        .extracting(Problem::path)
        .containsExactlyInAnyOrder(
            "tasks[0].operator", "tasks[0].comand", "tasks[0].skip_on_exit_code");
    assertThat(problems)
        .extracting(Problem::message)
        .anySatisfy(m -> assertThat(m).contains("needs the key 'command'"))
        .anySatisfy(
            m -> assertThat(m).contains("unknown key 'comand'").contains("did you mean command?"))
        .anySatisfy(m -> assertThat(m).contains("skip_on_exit_code must be a whole number"));
  }

  @Test
  void requiredKeysOfEveryOperator() {
    Map<String, String> required =
        Map.of(
            "http",
            "url",
            "email",
            "to",
            "branch",
            "command",
            "short_circuit",
            "command",
            "trigger_dag",
            "trigger_dag_id",
            "sensor",
            "wait");
    required.forEach(
        (op, key) ->
            assertThat(BuiltinOperators.get(op).orElseThrow().check(Map.of()))
                .as(op)
                .singleElement()
                .satisfies(p -> assertThat(p.message()).containsPattern("'?" + key + "'?:? ")));
    OperatorSpec sql = BuiltinOperators.get("sql").orElseThrow();
    assertThat(sql.check(Map.of()))
        .extracting(Problem::message)
        .anySatisfy(m -> assertThat(m).contains("'conn'"))
        .anySatisfy(m -> assertThat(m).contains("either sql: (a statement or a list of them)"));
    assertThat(sql.check(Map.of("conn", "db", "sql", List.of("a", "b")))).isEmpty();
    assertThat(sql.check(Map.of("conn", "db", "sql_file", "q.sql"))).isEmpty();
    assertThat(sql.check(Map.of("conn", "db", "sql", "a", "sql_file", "q.sql")))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("not both"));
    assertThat(DagValidator.validate(dag(Task.of("a", "empty", Map.of())))).isEmpty();
    assertThat(DagValidator.validate(dag(Task.of("a", "empty", Map.of("command", "x")))))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("takes no keys"));
  }

  @Test
  void templatesAreAcceptedForScalarKeys() {
    assertThat(
            DagValidator.validate(
                dag(
                    Task.of(
                        "a",
                        "shell",
                        Map.of("command", "x", "skip_on_exit_code", "{{ params.code }}")))))
        .isEmpty();
  }

  @Test
  void sensorConditions() {
    Map<String, Object> ok =
        Map.of(
            "wait",
            List.of(
                Map.of("file", "/data/x"),
                Map.of("time_delta", "5m"),
                Map.of("time", "06:30"),
                Map.of("sql", "select 1", "conn", "db")),
            "mode",
            "reschedule",
            "poke_interval",
            "30s",
            "timeout",
            600);
    OperatorSpec sensor = BuiltinOperators.get("sensor").orElseThrow();
    assertThat(sensor.check(ok)).isEmpty();
    assertThat(sensor.check(Map.of("wait", Map.of("file", "x")))).isEmpty();

    Map<String, Object> bad =
        Map.of(
            "wait",
            List.of(
                Map.of("fiel", "/x"),
                Map.of("file", "a", "sql", "b"),
                "text",
                Map.of("time_delta", "soon")),
            "mode",
            "pokes");
    List<Problem> problems = sensor.check(bad);
    assertThat(problems)
        .extracting(Problem::path)
        .containsExactlyInAnyOrder("mode", "wait[0]", "wait[1]", "wait[2]", "wait[3].time_delta");
    assertThat(problems)
        .extracting(Problem::message)
        .anySatisfy(m -> assertThat(m).contains("did you mean file?"))
        .anySatisfy(m -> assertThat(m).contains("did you mean poke?"));
  }

  /** Every operator of SPEC §1.3 is available; the sensor's keys are checked like any other's. */
  @Test
  void everyBuiltInOperatorIsAvailable() {
    assertThat(DagValidator.validate(dag(Task.of("a", "sensor", Map.of("nonsense", 1)))))
        .extracting(Problem::path)
        .containsExactlyInAnyOrder("tasks[0].operator", "tasks[0].nonsense");
    assertThat(BuiltinOperators.available())
        .containsExactly(
            "shell",
            "empty",
            "http",
            "sql",
            "branch",
            "short_circuit",
            "trigger_dag",
            "email",
            "sensor");
    assertThat(BuiltinOperators.notAvailable("sensor")).isEmpty();
  }

  /** Each kind of condition's own keys, globs, the mode as a literal, timeout vs poke_interval. */
  @Test
  void sensorConditionKeys() {
    OperatorSpec sensor = BuiltinOperators.get("sensor").orElseThrow();
    Map<String, Object> ok =
        Map.of(
            "wait",
            List.of(
                Map.of("file", "in/**/*.csv"),
                Map.of("file", "/data/{{ ds }}/_SUCCESS"),
                Map.of(
                    "http",
                    "/ready",
                    "conn",
                    "api",
                    "method",
                    "GET",
                    "headers",
                    Map.of("A", "b"),
                    "expect_status",
                    200,
                    "json",
                    Map.of("pointer", "/status", "equals", "ready"),
                    "timeout",
                    "5s"),
                Map.of(
                    "external_task",
                    Map.of(
                        "dag_id",
                        "a",
                        "task_id",
                        "t",
                        "execution_delta",
                        "1d",
                        "allowed_states",
                        List.of("success"),
                        "failed_states",
                        List.of("failed"))),
                Map.of("command", "test -s x")),
            "exponential_backoff",
            true,
            "timeout",
            "1h");
    assertThat(sensor.check(ok)).isEmpty();

    Map<String, Object> bad =
        Map.of(
            "wait",
            List.of(
                Map.of("file", "in/[ab.csv"),
                Map.of("sql", "select 1"),
                Map.of("sql", "select 1", "conn", "db", "con", "x"),
                Map.of("http", "/x", "json", Map.of("pointr", "/a")),
                Map.of("external_task", Map.of("task_id", "t", "dag", "a")),
                Map.of("external_task", "load"),
                Map.of("command", "x", "timeout", "5s")),
            "mode",
            "{{ params.mode }}",
            "poke_interval",
            "10m",
            "timeout",
            "5m");
    List<Problem> problems = sensor.check(bad);
    assertThat(problems)
        .extracting(Problem::path)
        .containsExactlyInAnyOrder(
            "mode",
            "timeout",
            "wait[0].file",
            "wait[1]",
            "wait[2].con",
            "wait[3].json.pointr",
            "wait[3].json",
            "wait[4].external_task.dag",
            "wait[4].external_task",
            "wait[5].external_task",
            "wait[6].timeout");
    assertThat(problems)
        .extracting(Problem::message)
        .anySatisfy(m -> assertThat(m).contains("not a template"))
        .anySatisfy(m -> assertThat(m).contains("timeout (PT5M) is shorter than poke_interval"))
        .anySatisfy(m -> assertThat(m).contains("opens a [ at character 4 that is never closed"))
        .anySatisfy(m -> assertThat(m).contains("needs conn:"))
        .anySatisfy(m -> assertThat(m).contains("unknown key 'con' for sql").contains("conn?"))
        .anySatisfy(m -> assertThat(m).contains("did you mean pointer?"))
        .anySatisfy(m -> assertThat(m).contains("needs dag_id:"))
        .anySatisfy(m -> assertThat(m).contains("unknown key 'timeout' for command"));
    assertThat(sensor.check(Map.of("wait", Map.of("file", "x"), "timeout", "30s")))
        .as("the default poke_interval is 60s")
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("PT1M, the default"));
  }

  /** The in-JVM operators' keys are checked when the DAG is read, with Airflow's names. */
  @Test
  void inJvmOperatorKeysAreChecked() {
    OperatorSpec http = BuiltinOperators.get("http").orElseThrow();
    assertThat(
            http.check(
                Map.of(
                    "conn",
                    "api",
                    "endpoint",
                    "/v1/x",
                    "expect_status",
                    List.of(200, 204),
                    "timeout",
                    "30s",
                    "response_xcom",
                    "json",
                    "body",
                    Map.of("a", 1))))
        .isEmpty();
    assertThat(http.check(Map.of("url", "https://x", "response_xcom", "xml")))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("body, json or none"));
    assertThat(http.check(Map.of("url", "https://x", "expect_stauts", 200)))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("did you mean expect_status?"));
    OperatorSpec trigger = BuiltinOperators.get("trigger_dag").orElseThrow();
    assertThat(
            trigger.check(
                Map.of(
                    "trigger_dag_id",
                    "other",
                    "conf",
                    Map.of("a", 1),
                    "wait_for_completion",
                    true,
                    "poke_interval",
                    "10s",
                    "allowed_states",
                    List.of("success"))))
        .isEmpty();
    assertThat(trigger.check(Map.of("trigger_dag_id", "other", "wait_for_completion", "yes")))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("true or false"));
    assertThat(
            BuiltinOperators.get("email")
                .orElseThrow()
                .check(Map.of("to", List.of("a@b.c"), "subject", "s", "html_content", "<b>x</b>")))
        .isEmpty();
  }

  @Test
  void suggestionsToleratesTypos() {
    assertThat(Suggestions.closest("retires", Arrays.asList("retries", "retry_delay")))
        .containsExactly("retries");
    assertThat(Suggestions.closest("SHELL", List.of("shell"))).containsExactly("shell");
    assertThat(Suggestions.closest("xyz", List.of("shell"))).isEmpty();
  }
}
