package io.updraft.dagproc;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.dag.Dag;
import io.updraft.dag.Schedule;
import io.updraft.dag.Task;
import io.updraft.dag.TriggerRule;
import io.updraft.dag.WeightRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlDagParserTest {
  @TempDir Path dir;

  private final YamlDagParser parser = new YamlDagParser();

  private DagFileResult parse(String yaml) throws IOException {
    Path file = dir.resolve("dag.yaml");
    Files.writeString(file, yaml);
    return parser.parse(file);
  }

  /** The only error of a file, as "line:col: message". */
  private static String onlyError(DagFileResult r) {
    assertThat(r.dags()).isEmpty();
    assertThat(r.errors()).hasSize(1);
    return at(r.errors().get(0));
  }

  private static String at(DagFileError e) {
    return e.line() + ":" + e.column() + ": " + e.message();
  }

  private static final String HEAD = "dag_id: d\nschedule: null\n";

  @Test
  void specExampleLoadsWithTheExpectedValues() throws IOException {
    Path file = dir.resolve("orders_daily.yaml");
    try (var in = getClass().getResourceAsStream("/dags/orders_daily.yaml")) {
      Files.write(file, in.readAllBytes());
    }
    DagFileResult r = parser.parse(file);
    assertThat(r.errors()).isEmpty();
    Dag dag = r.dags().get(0);
    assertThat(dag.dagId()).isEqualTo("orders_daily");
    assertThat(dag.description()).isEqualTo("Load yesterday's orders");
    assertThat(dag.schedule()).isEqualTo(new Schedule.Cron("0 2 * * *", "0 2 * * *", false));
    assertThat(dag.timezone()).isEqualTo(ZoneId.of("Europe/Amsterdam"));
    assertThat(dag.startDate()).isEqualTo(Instant.parse("2023-12-31T23:00:00Z"));
    assertThat(dag.endDate()).isNull();
    assertThat(dag.catchup()).isFalse();
    assertThat(dag.maxActiveRuns()).isEqualTo(16);
    assertThat(dag.maxActiveTasks()).isEqualTo(16);
    assertThat(dag.dagrunTimeout()).isNull();
    assertThat(dag.tags()).containsExactly("orders");
    assertThat(dag.params()).isEqualTo(Map.of("table", "orders"));
    assertThat(dag.tasks()).extracting(Task::taskId).containsExactly("extract", "load");
    for (Task t : dag.tasks()) {
      assertThat(t.operator()).isEqualTo("shell");
      assertThat(t.retries()).isEqualTo(2);
      assertThat(t.retryDelay()).isEqualTo(Duration.ofMinutes(5));
      assertThat(t.retryExponentialBackoff()).isFalse();
      assertThat(t.maxRetryDelay()).isNull();
      assertThat(t.executionTimeout()).isEqualTo(Duration.ofHours(1));
      assertThat(t.pool()).isEqualTo("default_pool");
      assertThat(t.owner()).isEqualTo("data-eng");
      assertThat(t.triggerRule()).isEqualTo(TriggerRule.ALL_SUCCESS);
    }
    Task extract = dag.tasks().get(0);
    Task load = dag.tasks().get(1);
    assertThat(extract.args()).isEqualTo(Map.of("command", "./extract.sh {{ ds }}"));
    assertThat(extract.upstream()).isEmpty();
    assertThat(load.args()).isEqualTo(Map.of("command", "./load.sh {{ ds }}"));
    assertThat(load.upstream()).containsExactly("extract");
  }

  @Test
  void yamlSyntaxErrorHasItsPosition() throws IOException {
    String e = onlyError(parse(HEAD + "tasks:\n  - task_id: a\n    operator: [empty\n"));
    assertThat(e).startsWith("6:1: YAML syntax error: ").contains("fix the YAML");
    String tab = onlyError(parse("dag_id: d\n\tschedule: null\n"));
    assertThat(tab).startsWith("2:1: YAML syntax error");
  }

  @Test
  void formatIsFileLineColumnMessage() throws IOException {
    DagFileResult r = parse("dag_id: d\nschedul: null\n");
    assertThat(r.errors().get(0).format())
        .isEqualTo(
            dir.resolve("dag.yaml")
                + ":2:1: unknown key 'schedul' in DAG — did you mean schedule?");
  }

  @Test
  void unknownKeysEverywhere() throws IOException {
    DagFileResult r =
        parse(
            HEAD
                + "default_args:\n  retires: 1\n"
                + "tasks:\n  - task_id: a\n    operator: shell\n    comand: echo\n"
                + "    trigger_rule: all_sucess\n");
    assertThat(r.errors())
        .extracting(YamlDagParserTest::at)
        .containsExactly(
            "4:3: unknown key 'retires' in default_args — did you mean retries?",
            "7:5: operator 'shell' needs the key 'command' — add command: to the task",
            "8:5: unknown key 'comand' for operator 'shell' — its keys are command, cwd,"
                + " skip_on_exit_code; did you mean command?",
            "9:5: unknown trigger_rule 'all_sucess' — use one of all_success, all_failed,"
                + " all_done, all_skipped, one_success, one_failed, one_done, none_failed,"
                + " none_failed_min_one_success, none_skipped, always; did you mean all_success?");
  }

  @Test
  void unknownOperator() throws IOException {
    String e = onlyError(parse(HEAD + "tasks:\n  - task_id: a\n    operator: shel\n"));
    assertThat(e)
        .isEqualTo(
            "5:5: unknown operator 'shel' — use one of shell, empty, http, sql, branch,"
                + " short_circuit, trigger_dag, email, sensor, or a custom operator's class name; did you"
                + " mean shell?");
  }

  @Test
  void duplicateTaskId() throws IOException {
    String e =
        onlyError(
            parse(
                HEAD
                    + "tasks:\n  - task_id: a\n    operator: empty\n"
                    + "  - task_id: a\n    operator: empty\n"));
    assertThat(e)
        .isEqualTo(
            "6:5: task_id 'a' is already used by tasks[0] — give every task its own task_id");
  }

  @Test
  void unknownUpstream() throws IOException {
    String e =
        onlyError(
            parse(
                HEAD
                    + "tasks:\n  - task_id: extract\n    operator: empty\n"
                    + "  - task_id: load\n    operator: empty\n    upstream: [extrct]\n"));
    assertThat(e)
        .isEqualTo(
            "8:16: task 'load' names upstream 'extrct', which is not a task of this DAG — did you"
                + " mean extract?");
  }

  @Test
  void cycleNamesItsTasks() throws IOException {
    String e =
        onlyError(
            parse(
                HEAD
                    + "tasks:\n"
                    + "  - {task_id: a, operator: empty, upstream: [c]}\n"
                    + "  - {task_id: b, operator: empty, upstream: [a]}\n"
                    + "  - {task_id: c, operator: empty, upstream: [b]}\n"));
    assertThat(e)
        .isEqualTo(
            "4:46: cycle: a -> b -> c -> a — a DAG cannot loop; remove one of these upstream"
                + " links");
  }

  @Test
  void badCron() throws IOException {
    String e = onlyError(parse("dag_id: d\nstart_date: 2024-01-01\nschedule: \"* * *\"\n"));
    assertThat(e).startsWith("3:1: schedule '* * *' is not a valid cron expression");
  }

  @Test
  void badZone() throws IOException {
    String e = onlyError(parse(HEAD + "timezone: Europe/Amsterdm\n"));
    assertThat(e)
        .isEqualTo(
            "3:1: unknown time zone 'Europe/Amsterdm' — use an IANA zone name such as"
                + " Europe/Amsterdam or UTC; did you mean Europe/Amsterdam?");
  }

  @Test
  void badDuration() throws IOException {
    String e =
        onlyError(
            parse(
                HEAD
                    + "tasks:\n  - task_id: a\n    operator: empty\n    retry_delay: 5 minutes\n"));
    assertThat(e)
        .isEqualTo(
            "6:5: retry_delay '5 minutes' is not a duration — use an ISO-8601 duration (PT5M,"
                + " P1D) or the short form 90s, 5m, 1h30m, 2d");
  }

  @Test
  void missingStartDatePointsAtTheDag() throws IOException {
    String e = onlyError(parse("description: x\ndag_id: d\nschedule: \"@daily\"\n"));
    assertThat(e)
        .isEqualTo(
            "2:1: start_date is missing — a DAG with a schedule needs one: add e.g. start_date:"
                + " 2024-01-01, or set schedule: null for a manual-only DAG");
  }

  @Test
  void invalidDagId() throws IOException {
    String e = onlyError(parse("schedule: null\ndag_id: my dag\n"));
    assertThat(e)
        .isEqualTo(
            "2:1: dag_id 'my dag' is invalid: use 1 to 250 letters, digits, '_', '.' or '-' —"
                + " rename it, e.g. my_dag");
    assertThat(onlyError(parse("schedule: null\n")))
        .isEqualTo("1:1: dag_id is missing — add dag_id: my_dag_name");
  }

  @Test
  void everyErrorOfAFileIsReportedInOrder() throws IOException {
    DagFileResult r =
        parse(
            "dag_id: d\n"
                + "schedule: \"@dialy\"\n"
                + "timezone: Mars/Olympus\n"
                + "catchup: maybe\n"
                + "tasks:\n"
                + "  - task_id: a\n"
                + "    operator: shell\n"
                + "    command: x\n"
                + "    retries: -1\n"
                + "    upstream: [a]\n"
                + "  - task_id: b\n"
                + "    operator: sensor\n"
                + "    wait: {fiel: /tmp/x}\n"
                + "    pool_slots: 0\n");
    assertThat(r.dags()).isEmpty();
    assertThat(r.errors())
        .extracting(e -> e.line() + ":" + e.column())
        .containsExactly("1:1", "2:1", "3:1", "4:1", "9:5", "10:16", "13:5", "14:5");
    assertThat(r.errors().get(0).message()).startsWith("start_date is missing");
    assertThat(r.errors().get(1).message()).contains("did you mean @daily?");
    assertThat(r.errors().get(3).message()).isEqualTo("catchup must be true or false, not 'maybe'");
    assertThat(r.errors().get(6).message())
        .startsWith("a wait condition must name one of file, sql")
        .endsWith("did you mean file?");
  }

  /** A sensor condition's bad key, bad glob and short timeout point at their lines. */
  @Test
  void sensorErrorsCarryTheirLines() throws IOException {
    DagFileResult r =
        parse(
            HEAD
                + "tasks:\n"
                + "  - task_id: wait\n"
                + "    operator: sensor\n"
                + "    poke_interval: 5m\n"
                + "    timeout: 1m\n"
                + "    wait:\n"
                + "      - file: in/[ab.csv\n"
                + "      - sql: select 1\n"
                + "        cnn: warehouse\n"
                + "      - external_task: {dag_id: up, task: t}\n");
    assertThat(r.dags()).isEmpty();
    assertThat(r.errors())
        .extracting(e -> e.line() + ":" + e.column() + ": " + e.message())
        .containsExactly(
            "7:5: timeout (PT1M) is shorter than poke_interval (PT5M) — the sensor could check"
                + " only once; raise timeout or lower poke_interval",
            "9:9: file is not a good pattern: 'in/[ab.csv' opens a [ at character 4 that is never"
                + " closed",
            "10:9: an sql condition needs conn: (the id of the database's connection)",
            "11:9: unknown key 'cnn' for sql — its keys are sql, conn; did you mean conn?",
            "12:37: unknown key 'task' for external_task — its keys are dag_id, task_id,"
                + " logical_date, execution_delta, allowed_states, failed_states");
  }

  @Test
  void duplicateKeys() throws IOException {
    String e = onlyError(parse(HEAD + "dag_id: e\n"));
    assertThat(e).isEqualTo("3:1: duplicate key 'dag_id' — keep only one");
  }

  @Test
  void forEachWithoutItsDataFileSaysSoAtItsValue() throws IOException {
    String e = onlyError(parse(HEAD + "for_each: customers.csv\n"));
    assertThat(e).startsWith("3:11: cannot read").contains("customers.csv");
    String nested =
        onlyError(parse("dags:\n  - " + HEAD.replace("\n", "\n    ") + "for_each: c.csv\n"));
    assertThat(nested).contains("cannot be used inside dags:");
  }

  @Test
  void defaultArgsApplyUnlessTheTaskSetsTheKey() throws IOException {
    DagFileResult r =
        parse(
            HEAD
                + "default_args:\n"
                + "  retries: 3\n"
                + "  retry_delay: 90s\n"
                + "  pool: etl\n"
                + "  env: {A: '1'}\n"
                + "  trigger_rule: all_done\n"
                + "  weight_rule: absolute\n"
                + "tasks:\n"
                + "  - {task_id: a, operator: empty}\n"
                + "  - {task_id: b, operator: empty, retries: 0, pool: other, env: {B: 2}}\n");
    assertThat(r.errors()).isEmpty();
    Task a = r.dags().get(0).tasks().get(0);
    Task b = r.dags().get(0).tasks().get(1);
    assertThat(a.retries()).isEqualTo(3);
    assertThat(a.retryDelay()).isEqualTo(Duration.ofSeconds(90));
    assertThat(a.pool()).isEqualTo("etl");
    assertThat(a.env()).isEqualTo(Map.of("A", "1"));
    assertThat(a.triggerRule()).isEqualTo(TriggerRule.ALL_DONE);
    assertThat(a.weightRule()).isEqualTo(WeightRule.ABSOLUTE);
    assertThat(b.retries()).isZero();
    assertThat(b.retryDelay()).isEqualTo(Duration.ofSeconds(90));
    assertThat(b.pool()).isEqualTo("other");
    assertThat(b.env()).isEqualTo(Map.of("B", "2"));
  }

  @Test
  void aBadDefaultArgIsReportedOnceWhereItIsWritten() throws IOException {
    DagFileResult r =
        parse(
            HEAD
                + "default_args:\n  retries: -2\n"
                + "tasks:\n  - {task_id: a, operator: empty}\n  - {task_id: b, operator: empty}\n");
    assertThat(onlyError(r)).isEqualTo("4:3: retries is -2 — use 0 or more (0: no retry)");
  }

  @Test
  void defaultArgsStartDateStartsTheDag() throws IOException {
    DagFileResult r =
        parse(
            "dag_id: d\nschedule: \"@daily\"\ndefault_args:\n  start_date: 2024-01-01\n"
                + "tasks:\n  - {task_id: a, operator: empty}\n");
    assertThat(r.errors()).isEmpty();
    assertThat(r.dags().get(0).startDate()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
  }

  @Test
  void dagsListHoldsSeveralDagsAndABrokenOneDoesNotHideTheOthers() throws IOException {
    DagFileResult r =
        parse(
            "dags:\n"
                + "  - dag_id: one\n"
                + "    schedule: null\n"
                + "  - dag_id: two\n"
                + "    schedule: \"@daily\"\n"
                + "  - dag_id: three\n"
                + "    schedule: 1h\n"
                + "    start_date: 2024-01-01\n"
                + "  - dag_id: one\n");
    assertThat(r.dags()).extracting(Dag::dagId).containsExactly("one", "three");
    assertThat(r.errors())
        .extracting(YamlDagParserTest::at)
        .containsExactly(
            "4:5: start_date is missing — a DAG with a schedule needs one: add e.g. start_date:"
                + " 2024-01-01, or set schedule: null for a manual-only DAG",
            "9:5: dag_id 'one' is already defined at line 2 of this file — give each DAG its own"
                + " dag_id");
    assertThat(r.dags().get(1).schedule()).isEqualTo(new Schedule.Delta("1h", Duration.ofHours(1)));
  }

  @Test
  void schedules() throws IOException {
    assertThat(scheduleOf("\"@once\"")).isEqualTo(new Schedule.Once());
    assertThat(scheduleOf("\"@daily\"")).isEqualTo(new Schedule.Cron("@daily", "0 0 * * *", false));
    assertThat(scheduleOf("\"*/5 * * * *\"\ntimetable: trigger"))
        .isEqualTo(new Schedule.Cron("*/5 * * * *", "*/5 * * * *", true));
    assertThat(scheduleOf("\"@hourly\"\ntimetable: interval"))
        .isEqualTo(new Schedule.Cron("@hourly", "0 * * * *", false));
    assertThat(scheduleOf("P1D")).isEqualTo(new Schedule.Delta("P1D", Duration.ofDays(1)));
    assertThat(scheduleOf("1h30m")).isEqualTo(new Schedule.Delta("1h30m", Duration.ofMinutes(90)));
    assertThat(scheduleOf("null")).isEqualTo(new Schedule.Manual());
    DagFileResult continuous =
        parse("dag_id: d\nstart_date: 2024-01-01\nschedule: \"@continuous\"\n");
    assertThat(continuous.dags().get(0).maxActiveRuns()).isEqualTo(1);

    assertThat(
            onlyError(
                parse("dag_id: d\nstart_date: 2024-01-01\nschedule: 1h\ntimetable: trigger\n")))
        .startsWith("4:1: timetable: trigger needs a cron schedule");
    assertThat(onlyError(parse("dag_id: d\nstart_date: 2024-01-01\nschedule: soon\n")))
        .startsWith("3:1: schedule 'soon' is not valid — use a cron expression");
    assertThat(onlyError(parse("dag_id: d\nstart_date: 2024-01-01\nschedule: 3600\n")))
        .startsWith("3:1: schedule must be text, not 3600");
  }

  private Schedule scheduleOf(String yaml) throws IOException {
    DagFileResult r = parse("dag_id: d\nstart_date: 2024-01-01\nschedule: " + yaml + "\n");
    assertThat(r.errors()).isEmpty();
    return r.dags().get(0).schedule();
  }

  @Test
  void nanAndInfinityAreRefusedWhereTheyAreWritten() throws IOException {
    assertThat(onlyError(parse(HEAD + "params:\n  x: .nan\n")))
        .isEqualTo(
            "4:6: .nan is not a finite number — DAG values must have a JSON form, which has no NaN"
                + " or infinity; write a number, or quote it (\".nan\") for text");
    assertThat(onlyError(parse(HEAD + "params:\n  x: {y: [1, .Inf]}\n")))
        .startsWith("4:14: .Inf is not a finite number — ");
    assertThat(
            onlyError(
                parse(
                    HEAD
                        + "tasks:\n"
                        + "  - task_id: a\n"
                        + "    operator: shell\n"
                        + "    command: x\n"
                        + "    skip_on_exit_code: -.inf\n")))
        .startsWith("7:24: -.inf is not a finite number — ");
    assertThat(parse(HEAD + "params:\n  x: \".nan\"\n  y: 1.5\n").dags().get(0).params())
        .isEqualTo(Map.of("x", ".nan", "y", 1.5));
  }

  @Test
  void everyNameForUtcGivesTheSameDag() throws IOException {
    Dag none = parse(HEAD).dags().get(0);

    assertThat(none.timezone()).isEqualTo(ZoneId.of("UTC"));
    for (String utc : List.of("UTC", "Etc/UTC", "Z", "null")) {
      assertThat(parse(HEAD + "timezone: " + utc + "\n").dags()).as(utc).containsExactly(none);
    }
  }

  @Test
  void datesAreLocalToTheDagsTimezone() throws IOException {
    assertThat(startOf("2024-07-01", "Europe/Amsterdam"))
        .isEqualTo(Instant.parse("2024-06-30T22:00:00Z"));
    assertThat(startOf("2024-07-01T06:30", "Europe/Amsterdam"))
        .isEqualTo(Instant.parse("2024-07-01T04:30:00Z"));
    assertThat(startOf("2024-07-01 06:30:00", "UTC"))
        .isEqualTo(Instant.parse("2024-07-01T06:30:00Z"));
    assertThat(startOf("2024-07-01T06:30:00Z", "Europe/Amsterdam"))
        .isEqualTo(Instant.parse("2024-07-01T06:30:00Z"));
    assertThat(startOf("2024-07-01T06:30:00+02:00", "UTC"))
        .isEqualTo(Instant.parse("2024-07-01T04:30:00Z"));
    // 02:30 does not exist on 2024-03-31 in Amsterdam: it moves forward by the gap.
    assertThat(startOf("2024-03-31T02:30", "Europe/Amsterdam"))
        .isEqualTo(Instant.parse("2024-03-31T01:30:00Z"));
    assertThat(onlyError(parse(HEAD + "start_date: 2024-13-01\n")))
        .startsWith("3:1: start_date '2024-13-01' is not a date — write 2024-01-01");
    assertThat(onlyError(parse(HEAD + "start_date: 2024-01-02\nend_date: 2024-01-01\n")))
        .startsWith("4:1: end_date 2024-01-01T00:00:00Z is before start_date");
  }

  private Instant startOf(String date, String zone) throws IOException {
    DagFileResult r = parse(HEAD + "timezone: " + zone + "\nstart_date: " + date + "\n");
    assertThat(r.errors()).isEmpty();
    return r.dags().get(0).startDate();
  }

  @Test
  void taskKeysAreRead() throws IOException {
    DagFileResult r =
        parse(
            HEAD
                + "tasks:\n"
                + "  - task_id: a\n"
                + "    operator: shell\n"
                + "    command: ./run.sh\n"
                + "    cwd: /opt/etl\n"
                + "    skip_on_exit_code: 3\n"
                + "    max_retry_delay: PT1H\n"
                + "    retry_exponential_backoff: true\n"
                + "    pool_slots: 2\n"
                + "    priority_weight: 5\n"
                + "    queue: q\n"
                + "    max_active_tis_per_dag: 1\n"
                + "    depends_on_past: true\n"
                + "    start_date: 2024-01-01\n"
                + "    end_date: 2024-02-01\n"
                + "    doc: does a thing\n"
                + "  - task_id: b\n"
                + "    operator: empty\n"
                + "    upstream: a\n"
                + "params: {x: [1, 2.5, true, null]}\n");
    assertThat(r.errors()).isEmpty();
    Task a = r.dags().get(0).tasks().get(0);
    assertThat(a.args())
        .containsEntry("command", "./run.sh")
        .containsEntry("cwd", "/opt/etl")
        .containsEntry("skip_on_exit_code", 3);
    assertThat(a.maxRetryDelay()).isEqualTo(Duration.ofHours(1));
    assertThat(a.retryExponentialBackoff()).isTrue();
    assertThat(a.poolSlots()).isEqualTo(2);
    assertThat(a.priorityWeight()).isEqualTo(5);
    assertThat(a.queue()).isEqualTo("q");
    assertThat(a.maxActiveTisPerDag()).isEqualTo(1);
    assertThat(a.dependsOnPast()).isTrue();
    assertThat(a.startDate()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
    assertThat(a.endDate()).isEqualTo(Instant.parse("2024-02-01T00:00:00Z"));
    assertThat(a.doc()).isEqualTo("does a thing");
    Task b = r.dags().get(0).tasks().get(1);
    assertThat(b.upstream()).containsExactly("a");
    assertThat(r.dags().get(0).params().get("x"))
        .isEqualTo(java.util.Arrays.asList(1, 2.5, true, null));
  }

  @Test
  void wrongTypes() throws IOException {
    DagFileResult r =
        parse(
            HEAD
                + "tags: orders\n"
                + "max_active_runs: many\n"
                + "tasks:\n"
                + "  - task_id: a\n"
                + "    operator: shell\n"
                + "    command: [x]\n"
                + "    skip_on_exit_code: nope\n");
    assertThat(r.errors())
        .extracting(YamlDagParserTest::at)
        .containsExactly(
            "3:1: tags must be a list, e.g. [a, b]",
            "4:1: max_active_runs must be a whole number, not 'many'",
            "8:5: command must be a string, not a list — fix the value",
            "9:5: skip_on_exit_code must be a whole number, not 'nope' — fix the value");
  }

  @Test
  void misshapenFiles() throws IOException {
    DagFileResult empty = parse("# nothing yet\n");
    assertThat(empty.dags()).isEmpty();
    assertThat(empty.errors()).isEmpty();
    assertThat(onlyError(parse("- a\n- b\n")))
        .startsWith("1:1: a DAG file must be a map starting with dag_id:");
    assertThat(onlyError(parse(HEAD + "---\n" + HEAD)))
        .startsWith("3:1: the file holds more than one YAML document")
        .contains("dags:");
    assertThat(onlyError(parse(HEAD + "tasks:\n  - just text\n")))
        .isEqualTo("4:5: a task must be a map with task_id and operator");
  }

  @Test
  void anUnreadableFileIsAnError() {
    DagFileResult r = parser.parse(dir.resolve("missing.yaml"));
    assertThat(r.dags()).isEmpty();
    assertThat(r.errors())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.line()).isEqualTo(1);
              assertThat(e.column()).isEqualTo(1);
              assertThat(e.message()).startsWith("cannot read the file");
            });
  }
}
