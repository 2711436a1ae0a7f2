package io.updraft.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.updraft.dag.Dag;
import io.updraft.dag.InvalidDagException;
import io.updraft.dag.Schedule;
import io.updraft.dag.Task;
import io.updraft.dag.TriggerRule;
import io.updraft.dag.WeightRule;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DagBuilderTest {
  private static final ZoneId AMS = ZoneId.of("Europe/Amsterdam");

  /** The SPEC §1 example, written with the builder. */
  static Dag specExample() {
    return Dags.dag("orders_daily")
        .description("Load yesterday's orders")
        .schedule("0 2 * * *")
        .timezone("Europe/Amsterdam")
        .startDate("2024-01-01")
        .catchup(false)
        .maxActiveRuns(16)
        .maxActiveTasks(16)
        .tags("orders")
        .param("table", "orders")
        .defaultArgs(
            a ->
                a.retries(2)
                    .retryDelay("5m")
                    .retryExponentialBackoff(false)
                    .maxRetryDelay((Duration) null)
                    .executionTimeout("1h")
                    .pool("default_pool")
                    .owner("data-eng"))
        .task(Tasks.shell("extract", "./extract.sh {{ ds }}"))
        .task(
            Tasks.shell("load", "./load.sh {{ ds }}")
                .upstream("extract")
                .triggerRule(TriggerRule.ALL_SUCCESS))
        .build();
  }

  private static Task shellTask(String id, String command, List<String> upstream) {
    return new Task(
        id,
        "shell",
        Map.of("command", command),
        upstream,
        TriggerRule.ALL_SUCCESS,
        2,
        Duration.ofMinutes(5),
        false,
        null,
        Duration.ofHours(1),
        "default_pool",
        1,
        1,
        WeightRule.DOWNSTREAM,
        "default",
        null,
        false,
        false,
        null,
        null,
        Map.of(),
        "data-eng",
        null);
  }

  @Test
  void specExampleGivesTheModelTheSpecDescribes() {
    Dag expected =
        new Dag(
            "orders_daily",
            "Load yesterday's orders",
            new Schedule.Cron("0 2 * * *", "0 2 * * *", false),
            AMS,
            Instant.parse("2023-12-31T23:00:00Z"), // midnight in Amsterdam (UTC+1 in winter)
            null,
            false,
            16,
            16,
            null,
            List.of("orders"),
            Map.of("table", "orders"),
            List.of(
                shellTask("extract", "./extract.sh {{ ds }}", List.of()),
                shellTask("load", "./load.sh {{ ds }}", List.of("extract"))));

    assertThat(specExample()).isEqualTo(expected);
  }

  @Test
  void unsetKeysTakeTheModelDefaults() {
    Dag dag = Dags.dag("d").task(Tasks.empty("t")).build();

    assertThat(dag)
        .isEqualTo(
            new Dag(
                "d",
                null,
                new Schedule.Manual(),
                ZoneOffset.UTC,
                null,
                null,
                false,
                16,
                16,
                null,
                List.of(),
                Map.of(),
                List.of(Task.of("t", "empty", Map.of()))));
  }

  @Test
  void aTaskKeyOverridesDefaultArgsAndUnsetKeysFallBackToThem() {
    Dag dag =
        Dags.dag("d")
            .defaultArgs(
                a ->
                    a.retries(3)
                        .pool("etl")
                        .queue("q1")
                        .env("A", "1")
                        .triggerRule("all_done")
                        .weightRule("absolute"))
            .task(Tasks.empty("plain"))
            .task(Tasks.empty("own").retries(0).pool("other").env(Map.of("B", "2")))
            .task(Tasks.empty("unset").pool(null)) // null unsets: the default applies
            .build();

    Task plain = dag.task("plain").orElseThrow();
    assertThat(plain.retries()).isEqualTo(3);
    assertThat(plain.pool()).isEqualTo("etl");
    assertThat(plain.queue()).isEqualTo("q1");
    assertThat(plain.env()).isEqualTo(Map.of("A", "1"));
    assertThat(plain.triggerRule()).isEqualTo(TriggerRule.ALL_DONE);
    assertThat(plain.weightRule()).isEqualTo(WeightRule.ABSOLUTE);

    Task own = dag.task("own").orElseThrow();
    assertThat(own.retries()).isZero(); // explicitly 0 beats the default 3
    assertThat(own.pool()).isEqualTo("other");
    assertThat(own.env()).isEqualTo(Map.of("B", "2")); // replaced, not merged
    assertThat(own.queue()).isEqualTo("q1");

    assertThat(dag.task("unset").orElseThrow().pool()).isEqualTo("etl");
  }

  @Test
  void sharedDefaultArgsAreCopied() {
    DefaultArgs shared = Dags.defaultArgs().retries(1).env("A", "1");
    DagBuilder builder = Dags.dag("d").defaultArgs(shared).task(Tasks.empty("t"));
    shared.retries(5).env("A", "changed");

    Task t = builder.build().task("t").orElseThrow();
    assertThat(t.retries()).isEqualTo(1);
    assertThat(t.env()).isEqualTo(Map.of("A", "1"));
  }

  @Test
  void datesWithoutOffsetAreInTheDagTimezoneWhateverTheCallOrder() {
    Instant midnightAms = Instant.parse("2024-06-30T22:00:00Z"); // CEST, UTC+2
    Dag before =
        Dags.dag("d")
            .timezone("Europe/Amsterdam")
            .schedule("@daily")
            .startDate("2024-07-01")
            .build();
    Dag after =
        Dags.dag("d")
            .schedule("@daily")
            .startDate("2024-07-01")
            .timezone("Europe/Amsterdam")
            .build();

    assertThat(before.startDate()).isEqualTo(midnightAms);
    assertThat(after.startDate()).isEqualTo(midnightAms);
    assertThat(after).isEqualTo(before);
  }

  @ParameterizedTest
  @CsvSource({
    "2024-07-01, 2024-06-30T22:00:00Z",
    "2024-07-01T06:30, 2024-07-01T04:30:00Z",
    "2024-07-01T06:30:15, 2024-07-01T04:30:15Z",
    "2024-07-01 06:30:00, 2024-07-01T04:30:00Z",
    "2024-07-01T06:30:00Z, 2024-07-01T06:30:00Z",
    "2024-07-01T06:30:00+01:00, 2024-07-01T05:30:00Z",
    // 02:30 does not exist on 2024-03-31 in Amsterdam: moved forward by the gap, as pendulum.
    "2024-03-31T02:30, 2024-03-31T01:30:00Z",
    // 02:30 happens twice on 2024-10-27: the earlier (summer time) offset.
    "2024-10-27T02:30, 2024-10-27T00:30:00Z",
  })
  void dateTextForms(String text, String expected) {
    Dag dag =
        Dags.dag("d")
            .schedule("@daily")
            .startDate(text)
            .endDate(text)
            .timezone(AMS)
            .task(Tasks.empty("t").startDate(text))
            .build();

    assertThat(dag.startDate()).isEqualTo(Instant.parse(expected));
    assertThat(dag.endDate()).isEqualTo(Instant.parse(expected));
    assertThat(dag.tasks().get(0).startDate()).isEqualTo(Instant.parse(expected));
  }

  @Test
  void javaDateTypes() {
    DagBuilder b = Dags.dag("d").schedule("@daily").timezone(AMS);

    assertThat(b.startDate(LocalDate.of(2024, 1, 1)).build().startDate())
        .isEqualTo(Instant.parse("2023-12-31T23:00:00Z"));
    assertThat(b.startDate(LocalDateTime.of(2024, 1, 1, 6, 0)).build().startDate())
        .isEqualTo(Instant.parse("2024-01-01T05:00:00Z"));
    assertThat(b.startDate(Instant.parse("2024-01-01T06:00:00Z")).build().startDate())
        .isEqualTo(Instant.parse("2024-01-01T06:00:00Z"));
  }

  @Test
  void aDefaultArgsStartDateStartsTheDagAndItsTasks() {
    Dag dag =
        Dags.dag("d")
            .schedule("@daily")
            .defaultArgs(a -> a.startDate("2024-01-01"))
            .timezone(AMS)
            .task(Tasks.empty("t"))
            .build();

    Instant expected = Instant.parse("2023-12-31T23:00:00Z");
    assertThat(dag.startDate()).isEqualTo(expected);
    assertThat(dag.tasks().get(0).startDate()).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      nullValues = "NULL",
      value = {
        "NULL, none, NULL, NULL",
        "@once, once, @once, NULL",
        "@continuous, continuous, @continuous, NULL",
        "@daily, cron, @daily, 0 0 * * *",
        "@hourly, cron, @hourly, 0 * * * *",
        "@quarterly, cron, @quarterly, 0 0 1 */3 *",
        "0 2 * * *, cron, 0 2 * * *, 0 2 * * *",
        "' 0 2 * * 1-5 ', cron, 0 2 * * 1-5, 0 2 * * 1-5",
        "1d, delta, 1d, PT24H",
        "P1D, delta, P1D, PT24H",
        "1h30m, delta, 1h30m, PT1H30M",
      })
  void scheduleTextIsReadAsTheDagFileReadsIt(
      String text, String type, String expectedText, String expression) {
    Schedule s = Dags.dag("d").schedule(text).startDate("2024-01-01").build().schedule();

    assertThat(s.text()).isEqualTo(expectedText);
    switch (type) {
      case "none" -> assertThat(s).isEqualTo(new Schedule.Manual());
      case "once" -> assertThat(s).isEqualTo(new Schedule.Once());
      case "continuous" -> assertThat(s).isEqualTo(new Schedule.Continuous());
      case "cron" -> assertThat(s).isEqualTo(new Schedule.Cron(expectedText, expression, false));
      case "delta" ->
          assertThat(s).isEqualTo(new Schedule.Delta(expectedText, Duration.parse(expression)));
      default -> throw new AssertionError(type);
    }
  }

  @Test
  void triggerTimetableMakesACronFireAtItsTime() {
    Dag a = Dags.dag("d").triggerTimetable().schedule("@daily").startDate("2024-01-01").build();
    Dag b = Dags.dag("d").schedule("@daily").timetable("trigger").startDate("2024-01-01").build();

    assertThat(a.schedule()).isEqualTo(new Schedule.Cron("@daily", "0 0 * * *", true));
    assertThat(b).isEqualTo(a);
  }

  @Test
  void triggerTimetableWithoutCronIsAProblemOfTheDag() {
    DagBuilder b = Dags.dag("d").schedule("1h").startDate("2024-01-01").triggerTimetable();

    assertThatThrownBy(b::build)
        .isInstanceOf(InvalidDagException.class)
        .hasMessageContaining("DAG d is invalid")
        .hasMessageContaining("timetable: trigger needs a cron schedule");
  }

  @Test
  void durationsAsObjectsOrText() {
    Dag dag =
        Dags.dag("d")
            .schedule(Duration.ofHours(6))
            .startDate("2024-01-01")
            .dagrunTimeout("2h")
            .task(Tasks.empty("a").retryDelay(Duration.ofSeconds(90)).executionTimeout("PT10M"))
            .task(Tasks.empty("b").retryDelay("90s").maxRetryDelay("1d"))
            .build();

    assertThat(dag.schedule()).isEqualTo(new Schedule.Delta("PT6H", Duration.ofHours(6)));
    assertThat(dag.dagrunTimeout()).isEqualTo(Duration.ofHours(2));
    assertThat(dag.tasks().get(0).retryDelay()).isEqualTo(dag.tasks().get(1).retryDelay());
    assertThat(dag.tasks().get(0).executionTimeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(dag.tasks().get(1).maxRetryDelay()).isEqualTo(Duration.ofDays(1));
  }

  @Test
  void continuousDefaultsToOneActiveRun() {
    assertThat(Dags.dag("d").schedule("@continuous").startDate("2024-01-01").build())
        .extracting(Dag::maxActiveRuns)
        .isEqualTo(1);
    assertThat(Dags.dag("d").schedule("@daily").startDate("2024-01-01").build())
        .extracting(Dag::maxActiveRuns)
        .isEqualTo(16);
  }

  @Test
  void paramAndArgValuesAreCopied() {
    List<Object> items = new ArrayList<>(List.of(1, "two"));
    Dag dag = Dags.dag("d").param("items", items).task(Tasks.empty("t")).build();
    Task task =
        Tasks.triggerDag("t", "other")
            .arg("conf", Map.of("list", items))
            .build(Map.of(), ZoneOffset.UTC);
    items.add("three");

    assertThat(dag.params().get("items")).isEqualTo(List.of(1, "two"));
    assertThat(task.arg("conf")).isEqualTo(Map.of("list", List.of(1, "two")));
  }

  @Test
  void builtInOperatorFactories() {
    Dag dag =
        Dags.dag("d")
            .tasks(
                Tasks.shell("shell", "echo hi").arg("cwd", "/tmp"),
                Tasks.empty("empty"),
                Tasks.branch("branch", "echo shell"),
                Tasks.shortCircuit("short_circuit", "test -f x"),
                Tasks.task("generic", "shell").arg("command", "true"))
            .build();

    assertThat(dag.tasks())
        .extracting(Task::operator)
        .containsExactly("shell", "empty", "branch", "short_circuit", "shell");
    assertThat(dag.task("shell").orElseThrow().args())
        .isEqualTo(Map.of("command", "echo hi", "cwd", "/tmp"));
    // The factories make the tasks of SPEC §1.3.
    assertThat(task(Tasks.http("http", "GET", "https://example.com").arg("expect_status", 200)))
        .isEqualTo(Map.of("method", "GET", "url", "https://example.com", "expect_status", 200));
    assertThat(task(Tasks.sql("sql", "warehouse", "select 1")))
        .isEqualTo(Map.of("conn", "warehouse", "sql", "select 1"));
    assertThat(task(Tasks.triggerDag("trigger_dag", "other").arg("conf", Map.of("a", 1))))
        .isEqualTo(Map.of("trigger_dag_id", "other", "conf", Map.of("a", 1)));
    assertThat(task(Tasks.email("email", "a@example.com", "hi", "<p>x</p>")))
        .isEqualTo(Map.of("to", "a@example.com", "subject", "hi", "html_content", "<p>x</p>"));
    assertThat(
            task(Tasks.sensor("sensor", Map.of("file", "/data/ready")).arg("mode", "reschedule")))
        .isEqualTo(Map.of("wait", Map.of("file", "/data/ready"), "mode", "reschedule"));
  }

  private static Map<String, Object> task(TaskBuilder t) {
    return t.build(Map.of(), ZoneOffset.UTC).args();
  }

  /** Every built-in operator builds, the sensor included; a sensor's bad key is refused. */
  @Test
  void builtInOperatorsBuildAndASensorsBadKeyIsRefused() {
    for (TaskBuilder ok :
        List.of(
            Tasks.http("t", "GET", "https://example.com"),
            Tasks.sql("t", "warehouse", "select 1"),
            Tasks.triggerDag("t", "other"),
            Tasks.email("t", "a@example.com", "s", "b"),
            Tasks.sensor("t", Map.of("file", "/data/ready")).arg("exponential_backoff", true))) {
      assertThat(Dags.dag("d").task(ok).build().tasks()).hasSize(1);
    }
    TaskBuilder t = Tasks.sensor("t", List.of(Map.of("sql", "select 1", "con", "db")));
    assertThatThrownBy(() -> Dags.dag("d").task(t).build())
        .isInstanceOf(InvalidDagException.class)
        .hasMessageContaining("tasks[0].wait[0].con: unknown key 'con' for sql")
        .hasMessageContaining("did you mean conn?");
  }

  @Test
  void badTextFailsAtTheCallWithAOneLineMessage() {
    DagBuilder d = Dags.dag("d");
    assertBad(() -> d.schedule("@fortnightly"), "unknown schedule preset '@fortnightly'");
    assertBad(() -> d.schedule("every day"), "schedule 'every day'");
    assertBad(() -> d.schedule("0s"), "schedule '0s' is not valid");
    assertBad(() -> d.schedule("soon"), "schedule 'soon' is not valid");
    assertBad(() -> d.timezone("Mars/Olympus"), "unknown time zone 'Mars/Olympus'");
    assertBad(() -> d.startDate("2024-13-01"), "start_date '2024-13-01' is not a date");
    assertBad(() -> d.dagrunTimeout("5 minutes"), "dagrun_timeout '5 minutes' is not a duration");
    assertBad(() -> d.timetable("cron"), "timetable 'cron' is unknown");
    assertBad(() -> d.param("x", Double.NaN), "params.x: NaN has no JSON form");
    assertBad(() -> d.param("x", Duration.ZERO), "cannot be a DAG value");
    assertBad(() -> d.param("x", Map.of(1, "a")), "map key 1 is not text");

    TaskBuilder t = Tasks.shell("t", "echo");
    assertBad(() -> t.retryDelay("5x"), "task t: retry_delay '5x' is not a duration");
    assertBad(() -> t.retryDelay(Duration.ofSeconds(-1)), "task t: retry_delay PT-1S is negative");
    assertBad(() -> t.triggerRule("all_good"), "task t: trigger_rule 'all_good' is unknown");
    assertBad(() -> t.weightRule("heaviest"), "task t: weight_rule 'heaviest' is unknown");
    assertBad(() -> t.arg("retries", 3), "retries is a common task key");
    assertBad(() -> t.arg("task_id", "x"), "task_id is given to Tasks.task");
    assertBad(() -> Dags.defaultArgs().executionTimeout("1y"), "default_args: execution_timeout");
  }

  private static void assertBad(Runnable call, String message) {
    assertThatThrownBy(call::run)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }
}
