package io.updraft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.state.DagRunState;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.DagRunRepository;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import io.updraft.store.TestBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 end to end under a real {@code updraft standalone} JVM on its embedded H2 (the triggerer
 * inside it): a {@code defer} file sensor seen as {@code deferred} by {@code tasks states}, cleared
 * (its trigger goes) and deferred again, then ended by its file; its log through {@code tasks
 * logs}; a multi-wait; timeouts with and without {@code soft_fail}; {@code reschedule} and {@code
 * poke} modes; waits that cannot be answered yet; and bad sensor input as import errors with file
 * and line.
 */
class SensorsStandaloneTest extends HomeTestBase {
  private static final String RUN = "e2e";

  SensorsStandaloneTest() {
    super(Map.of("UPDRAFT_CORE_DAGS_ARE_PAUSED_AT_CREATION", "false"), Duration.ofSeconds(90));
  }

  @Override
  TestBackend backend() {
    return null;
  }

  private ChildJvm standalone() {
    // the API server on a port the system chooses: 8080 may be taken by another test
    ChildJvm p = site.updraft("standalone", "standalone", "--port", "0");
    p.awaitOutput("is running", Duration.ofSeconds(90));
    site.hold(); // one connection for the test's many looks, through the server standalone runs
    return p;
  }

  /** {@code updraft COMMAND...} to its end; it must exit 0; its output. */
  private String cli(String name, String... command) {
    ChildJvm p = site.updraft(name, command);
    int exit = p.awaitExit(Duration.ofSeconds(90));
    assertThat(exit).as(p::describe).isZero();
    return p.output();
  }

  private void dag(String name, String yaml) throws Exception {
    Files.writeString(site.dags().resolve(name + ".yaml"), yaml);
  }

  private TaskInstanceRow ti(String dagId, String taskId) {
    return db(d -> new TaskInstanceRepository(d).listForRun(dagId, RUN)).stream()
        .filter(t -> t.taskId().equals(taskId))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no task instance " + dagId + "." + taskId));
  }

  private boolean is(String dagId, String taskId, TaskInstanceState state) {
    return ti(dagId, taskId).state() == state;
  }

  private DagRunState run(String dagId) {
    return db(d -> new DagRunRepository(d).get(dagId, RUN).orElseThrow()).state();
  }

  private long count(String sql) {
    return db(d -> d.jdbc().queryOne(sql, sql, ps -> {}, rs -> rs.getLong(1)).orElseThrow());
  }

  /** The trigger a task instance is deferred on; null when it has none. */
  private Long triggerOf(String dagId, String taskId) {
    long id = ti(dagId, taskId).id();
    String sql = "SELECT trigger_id FROM task_instance WHERE id = " + id;
    return db(
        d ->
            d.jdbc()
                .queryOne(
                    sql,
                    sql,
                    ps -> {},
                    rs -> {
                      long t = rs.getLong(1);
                      return rs.wasNull() ? null : t;
                    })
                .orElse(null));
  }

  private String log(String dagId, String taskId) {
    return cli("logs-" + dagId + "-" + taskId, "tasks", "logs", dagId, RUN, taskId);
  }

  private static int occurrences(String text, String part) {
    int n = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      n++;
    }
    return n;
  }

  @Test
  void aDeferredFileSensorIsShownClearedAndEndedByItsFile(@TempDir Path in) throws Exception {
    Path ready = in.resolve(RUN).resolve("_SUCCESS");
    dag(
        "arrivals",
        """
        dag_id: arrivals
        schedule: null
        tasks:
          - task_id: wait_file
            operator: sensor
            poke_interval: 1s
            timeout: 1h
            wait:
              file: "%s/{{ run_id }}/_SUCCESS"
          - task_id: load
            operator: shell
            command: echo loaded
            upstream: [wait_file]
        """
            .formatted(in));
    ChildJvm standalone = standalone();
    cli("trigger", "dags", "trigger", "arrivals", "--run-id", RUN);

    await(
        "the sensor to be deferred",
        standalone,
        () -> is("arrivals", "wait_file", TaskInstanceState.DEFERRED));
    assertThat(ti("arrivals", "wait_file").tryNumber()).isEqualTo(1);
    assertThat(ti("arrivals", "load").state())
        .isNotIn(TaskInstanceState.QUEUED, TaskInstanceState.RUNNING);
    String states = cli("states", "tasks", "states", "arrivals", RUN);
    assertThat(states.lines().filter(l -> l.contains("wait_file")).findFirst().orElseThrow())
        .contains("deferred");
    Long first = triggerOf("arrivals", "wait_file");
    assertThat(first).isNotNull();
    assertThat(count("SELECT COUNT(*) FROM deferred_trigger WHERE id = " + first)).isEqualTo(1);

    // tasks clear of a deferred sensor: its trigger goes; the scheduler defers it again (try 2)
    cli("clear", "tasks", "clear", "arrivals", "-t", "wait_file", "--run-id", RUN, "--yes");
    assertThat(count("SELECT COUNT(*) FROM deferred_trigger WHERE id = " + first)).isZero();
    await(
        "the cleared sensor to be deferred again",
        standalone,
        () ->
            is("arrivals", "wait_file", TaskInstanceState.DEFERRED)
                && ti("arrivals", "wait_file").tryNumber() == 2);
    assertThat(triggerOf("arrivals", "wait_file")).isNotNull().isNotEqualTo(first);
    assertThat(count("SELECT COUNT(*) FROM deferred_trigger")).isEqualTo(1);

    Files.createDirectories(ready.getParent());
    Files.writeString(ready, "");
    await("the run to end", standalone, () -> run("arrivals").isFinished());

    assertThat(run("arrivals")).as(standalone::describe).isEqualTo(DagRunState.SUCCESS);
    assertThat(ti("arrivals", "wait_file").state()).isEqualTo(TaskInstanceState.SUCCESS);
    assertThat(ti("arrivals", "wait_file").tryNumber()).isEqualTo(2);
    assertThat(count("SELECT COUNT(*) FROM deferred_trigger")).isZero();
    String log = log("arrivals", "wait_file");
    assertThat(log)
        .as("deferred, the check that changed, why it ended")
        .contains("deferred at")
        .contains("file " + ready)
        .contains("every condition holds")
        .contains("the try ends success");
    assertThat(occurrences(log, "check "))
        .as("one line per check that changed: " + log)
        .isLessThanOrEqualTo(2);
  }

  @Test
  void aMultiWaitHoldsOnlyWhenAllHoldAndTimeoutsFailOrSkip(@TempDir Path in) throws Exception {
    dag(
        "gates",
        """
        dag_id: gates
        schedule: null
        tasks:
          - task_id: both
            operator: sensor
            poke_interval: 1s
            timeout: 1h
            wait:
              - file: "%1$s/a"
              - file: "%1$s/b*.csv"
          - task_id: after_both
            operator: shell
            command: "true"
            upstream: [both]
          - task_id: soft
            operator: sensor
            poke_interval: 1s
            timeout: 3s
            soft_fail: true
            wait: {file: "%1$s/never"}
          - task_id: after_soft
            operator: shell
            command: "true"
            upstream: [soft]
          - task_id: hard
            operator: sensor
            poke_interval: 1s
            timeout: 3s
            retries: 2
            wait: {file: "%1$s/never"}
        """
            .formatted(in));
    ChildJvm standalone = standalone();
    cli("trigger", "dags", "trigger", "gates", "--run-id", RUN);
    await(
        "the multi-wait deferred",
        standalone,
        () -> is("gates", "both", TaskInstanceState.DEFERRED));

    Files.writeString(in.resolve("a"), "");
    await(
        "a check that sees the first condition hold",
        standalone,
        () -> log("gates", "both").contains("file " + in.resolve("a") + ": holds"));
    await(
        "the timeouts to end their sensors",
        standalone,
        () -> ti("gates", "soft").state().isFinished() && ti("gates", "hard").state().isFinished());
    assertThat(ti("gates", "both").state())
        .as("one condition of two holds: still waiting")
        .isEqualTo(TaskInstanceState.DEFERRED);
    assertThat(ti("gates", "soft").state()).isEqualTo(TaskInstanceState.SKIPPED);
    assertThat(ti("gates", "hard").state()).isEqualTo(TaskInstanceState.FAILED);
    assertThat(ti("gates", "hard").tryNumber()).as("a timeout is not retried").isEqualTo(1);
    assertThat(log("gates", "soft")).contains("soft_fail").contains("the try ends skipped");
    assertThat(log("gates", "hard")).contains("the try ends failed");

    Files.writeString(in.resolve("b_2024.csv"), "");
    await("the run to end", standalone, () -> run("gates").isFinished());
    assertThat(ti("gates", "both").state()).isEqualTo(TaskInstanceState.SUCCESS);
    assertThat(ti("gates", "after_both").state()).isEqualTo(TaskInstanceState.SUCCESS);
    assertThat(ti("gates", "after_soft").state()).isEqualTo(TaskInstanceState.SKIPPED);
  }

  @Test
  void rescheduleAndPokeModesCheckOnAWorker(@TempDir Path in) throws Exception {
    dag(
        "modes",
        """
        dag_id: modes
        schedule: null
        tasks:
          - task_id: resched
            operator: sensor
            mode: reschedule
            poke_interval: 3s
            timeout: 1h
            wait: {file: "%1$s/r"}
          - task_id: poker
            operator: sensor
            mode: poke
            poke_interval: 1s
            timeout: 1h
            wait: {command: "test -e '%1$s/p'"}
        """
            .formatted(in));
    ChildJvm standalone = standalone();
    cli("trigger", "dags", "trigger", "modes", "--run-id", RUN);

    await(
        "the poke sensor checking inside its try",
        standalone,
        () -> is("modes", "poker", TaskInstanceState.RUNNING));
    long id = ti("modes", "resched").id();
    await(
        "two checks of the reschedule sensor, each its own short run of the same try",
        standalone,
        () -> count("SELECT COUNT(*) FROM task_reschedule WHERE task_instance_id = " + id) >= 2);
    await(
        "tasks states to show the reschedule sensor between two checks",
        standalone,
        () -> cli("states", "tasks", "states", "modes", RUN).contains("up_for_reschedule"));
    assertThat(ti("modes", "resched").tryNumber()).isEqualTo(1);
    assertThat(ti("modes", "poker").tryNumber()).isEqualTo(1);
    assertThat(count("SELECT COUNT(*) FROM deferred_trigger")).isZero();

    Files.writeString(in.resolve("r"), "");
    Files.writeString(in.resolve("p"), "");
    await("the run to end", standalone, () -> run("modes").isFinished());
    assertThat(run("modes")).as(standalone::describe).isEqualTo(DagRunState.SUCCESS);
    assertThat(ti("modes", "resched").tryNumber()).as("one try across its checks").isEqualTo(1);
    assertThat(ti("modes", "poker").tryNumber()).isEqualTo(1);
  }

  @Test
  void waitsThatCannotBeAnsweredYetKeepWaitingAndSaySoOnce() throws Exception {
    dag(
        "unanswered",
        """
        dag_id: unanswered
        schedule: null
        tasks:
          - task_id: no_conn
            operator: sensor
            poke_interval: 1s
            timeout: 1h
            wait: {sql: "select 1", conn: no_such_conn}
          - task_id: no_dag
            operator: sensor
            poke_interval: 1s
            timeout: 1h
            wait: {external_task: {dag_id: ghost_dag, task_id: t}}
        """);
    ChildJvm standalone = standalone();
    cli("trigger", "dags", "trigger", "unanswered", "--run-id", RUN);
    await(
        "both sensors to say why they cannot be answered",
        standalone,
        () ->
            log("unanswered", "no_conn").contains("no_such_conn")
                && log("unanswered", "no_dag").contains("ghost_dag"));
    // a few more check rounds (poke_interval 1s): still waiting, the reason not said again
    Thread.sleep(3_500);
    assertThat(ti("unanswered", "no_dag").state())
        .as(() -> log("unanswered", "no_dag"))
        .isEqualTo(TaskInstanceState.DEFERRED);
    assertThat(ti("unanswered", "no_conn").state())
        .as(() -> log("unanswered", "no_conn"))
        .isEqualTo(TaskInstanceState.DEFERRED);
    String noConn = log("unanswered", "no_conn");
    String noDag = log("unanswered", "no_dag");
    assertThat(checkLinesNaming(noDag, "ghost_dag")).as(noDag).isEqualTo(1);
    assertThat(checkLinesNaming(noConn, "no_such_conn")).as(noConn).isEqualTo(1);
  }

  /** Lines of a sensor's log naming {@code name}, but for the line saying what it waits for. */
  private static long checkLinesNaming(String log, String name) {
    return log.lines().filter(l -> l.contains(name) && !l.contains("deferred at")).count();
  }

  @Test
  void badSensorInputIsAnImportErrorWithFileAndLine() throws Exception {
    dag(
        "bad_sensors",
        """
        dag_id: bad_sensors
        schedule: null
        tasks:
          - task_id: typo
            operator: sensor
            wait: {file: /data/x, pok_interval: 5s}
          - task_id: glob
            operator: sensor
            wait: {file: "/data/[unclosed"}
          - task_id: short
            operator: sensor
            poke_interval: 10m
            timeout: 1m
            wait: {file: /data/y}
        """);
    ChildJvm standalone = standalone();
    await(
        "the import errors to be recorded",
        standalone,
        () -> count("SELECT COUNT(*) FROM import_error") > 0);
    String errors = cli("errors", "dags", "list-import-errors");
    List<String> lines = errors.lines().filter(l -> l.contains("bad_sensors.yaml")).toList();
    assertThat(String.join("\n", lines))
        .as(errors)
        .contains("pok_interval")
        .contains("[unclosed")
        .containsPattern("(?i)timeout.*poke_interval");
    Matcher lineNumbers = Pattern.compile("bad_sensors\\.yaml\\D+(\\d+)").matcher(errors);
    assertThat(lineNumbers.find()).as("a line number after the file: " + errors).isTrue();
    assertThat(count("SELECT COUNT(*) FROM dag WHERE dag_id = 'bad_sensors'")).isZero();
  }
}
