package io.updraft.triggerer;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.dag.Dag;
import io.updraft.dag.Task;
import io.updraft.executor.WorkerTryRunner;
import io.updraft.scheduler.MovableClock;
import io.updraft.sensors.Checks;
import io.updraft.sensors.Condition;
import io.updraft.sensors.ExternalStates;
import io.updraft.sensors.SensorMode;
import io.updraft.sensors.SensorSpec;
import io.updraft.sensors.TriggerKinds;
import io.updraft.state.DagRunState;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.AssetEventRepository;
import io.updraft.store.DagRunRepository;
import io.updraft.store.Database;
import io.updraft.store.DatabaseExternalStates;
import io.updraft.store.JobRepository;
import io.updraft.store.ScratchDatabase;
import io.updraft.store.TaskInstanceDeferrals;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import io.updraft.store.TaskInstanceTries;
import io.updraft.store.TestBackend;
import io.updraft.store.TriggerRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The triggerer against a real database, with task instances deferred through the store and the
 * real condition checks: what ends a wait, timeouts that survive a restart, take-over of a dead
 * triggerer's triggers, and one {@code external_task} query per round however many sensors wait.
 */
abstract class TriggererContractTest {
  static final Instant T0 = Instant.parse("2024-03-10T06:00:00Z");

  @TempDir Path tmp;
  ScratchDatabase scratch;
  Database db;
  MovableClock clock;
  final AtomicInteger wakeups = new AtomicInteger();
  final List<Triggerer> triggerers = new ArrayList<>();

  abstract TestBackend backend();

  @BeforeEach
  void open() {
    scratch = backend().create();
    db = Database.open(scratch.config());
    db.migrate();
    clock = new MovableClock(T0);
  }

  @AfterEach
  void close() throws Exception {
    triggerers.forEach(Triggerer::close);
    if (db != null) {
      db.close();
    }
    if (scratch != null) {
      scratch.close();
    }
  }

  // ---- set-up through the store

  static Task task(String id, String operator, Map<String, Object> args, int retries) {
    return DeferredSensors.task(id, operator, args, retries);
  }

  static Dag dag(String id, Task... tasks) {
    return DeferredSensors.dag(id, tasks);
  }

  void runOf(Dag dag, String runId, int mapped) {
    DeferredSensors.runOf(db, dag, runId, mapped, tmp.resolve("d.yaml").toString(), T0);
  }

  List<TaskInstanceRow> instances(String dagId, String runId, String taskId) {
    return DeferredSensors.instances(db, dagId, runId, taskId);
  }

  List<Long> defer(String dagId, String runId, String taskId) {
    return DeferredSensors.defer(db, dagId, runId, taskId, clock.instant());
  }

  void setState(String dagId, String runId, String taskId, TaskInstanceState... path) {
    DeferredSensors.setState(db, dagId, runId, taskId, clock.instant(), path);
  }

  TaskInstanceState state(long id) {
    return new TaskInstanceRepository(db).get(id).orElseThrow().state();
  }

  Triggerer triggerer(Database on, ExternalStates external, int capacity) {
    Triggerer t =
        new Triggerer(
            on,
            WorkerTryRunner.onDatabase(on, tmp.resolve("logs"), clock),
            new Checks(),
            external,
            Map.of(),
            clock,
            Triggerer.Settings.defaults()
                .withCapacity(capacity)
                .withHealthThreshold(Duration.ofSeconds(30)),
            wakeups::incrementAndGet);
    triggerers.add(t);
    return t;
  }

  Triggerer triggerer() {
    return triggerer(db, new DatabaseExternalStates(db), 1000);
  }

  static Map<String, Object> fileSensor(Path file, String timeout, boolean softFail) {
    return Map.of(
        "wait",
        List.of(Map.of("file", file.toString())),
        "poke_interval",
        "10s",
        "timeout",
        timeout,
        "soft_fail",
        softFail);
  }

  static void pass(Triggerer t) {
    t.runOnce().awaitChecks();
  }

  Path log(String dagId, String runId, String taskId, int tryNumber) {
    return tmp.resolve("logs")
        .resolve("dag_id=" + dagId)
        .resolve("run_id=" + runId)
        .resolve("task_id=" + taskId)
        .resolve("attempt=" + tryNumber + ".log");
  }

  // ---- tests

  @Test
  void aConditionThatComesTrueEndsTheTryInSuccessWithItsHistoryAndWakesTheScheduler()
      throws Exception {
    Path ready = tmp.resolve("in/_SUCCESS");
    runOf(dag("d", task("wait", "sensor", fileSensor(ready, "1h", false), 0)), "r", 0);
    long id = defer("d", "r", "wait").get(0);
    Triggerer t = triggerer();

    pass(t);
    assertThat(t.held()).isEqualTo(1);
    assertThat(state(id)).isEqualTo(TaskInstanceState.DEFERRED);
    clock.now = T0.plusSeconds(5);
    pass(t); // not due yet: nothing changes, nothing is logged
    Files.createDirectories(ready.getParent());
    Files.writeString(ready, "");
    clock.now = T0.plusSeconds(10);
    pass(t);

    assertThat(state(id)).isEqualTo(TaskInstanceState.SUCCESS);
    assertThat(new TaskInstanceTries(db).history(id))
        .singleElement()
        .satisfies(h -> assertThat(h.state()).isEqualTo(TaskInstanceState.SUCCESS));
    assertThat(new TriggerRepository(db).count()).isZero();
    assertThat(t.held()).isZero();
    assertThat(wakeups.get()).isEqualTo(1);
    String log = Files.readString(log("d", "r", "wait", 1));
    assertThat(log)
        .contains("deferred at ")
        .contains("waits for file " + ready)
        .contains("check 1: file " + ready + ": waiting")
        .contains("check 2: every condition holds")
        .contains("the try ends success");
    assertThat(log.lines().filter(l -> l.contains(": waiting")).count()).isEqualTo(1);
  }

  /** A deferred try that succeeds records its task's asset events, as a running try does. */
  @Test
  void aDeferredSuccessRecordsTheTasksAssetEventsInItsTransaction() throws Exception {
    Path ready = tmp.resolve("in/_READY");
    Task wait = task("wait", "sensor", fileSensor(ready, "1h", false), 0);
    Task withOutlets =
        io.updraft.sdk.Dags.dag("d")
            .task(
                io.updraft.sdk.Tasks.task("wait", "sensor").args(wait.args()).outlets("s3://b/in"))
            .build()
            .task("wait")
            .orElseThrow();
    runOf(dag("d", withOutlets), "r", 0);
    long id = defer("d", "r", "wait").get(0);
    Triggerer t = triggerer();
    pass(t);
    assertThat(new AssetEventRepository(db).count(AssetEventRepository.Filter.NONE)).isZero();

    Files.createDirectories(ready.getParent());
    Files.writeString(ready, "");
    clock.now = T0.plusSeconds(10);
    pass(t);

    assertThat(state(id)).isEqualTo(TaskInstanceState.SUCCESS);
    assertThat(
            new AssetEventRepository(db).page(AssetEventRepository.Filter.NONE, "id", false, 10, 0))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.uri()).isEqualTo("s3://b/in");
              assertThat(e.sourceDagId()).isEqualTo("d");
              assertThat(e.sourceTaskId()).isEqualTo("wait");
              assertThat(e.sourceRunId()).isEqualTo("r");
              assertThat(e.timestamp())
                  .isEqualTo(new TaskInstanceRepository(db).get(id).orElseThrow().endDate());
            });
  }

  @Test
  void aTimeoutFailsTheTryAndSoftFailSkipsIt() {
    Path never = tmp.resolve("never");
    runOf(
        dag(
            "d",
            task("hard", "sensor", fileSensor(never, "30s", false), 3),
            task("soft", "sensor", fileSensor(never, "30s", true), 3)),
        "r",
        0);
    long hard = defer("d", "r", "hard").get(0);
    long soft = defer("d", "r", "soft").get(0);
    Triggerer t = triggerer();

    for (int s = 0; s <= 40; s += 10) {
      clock.now = T0.plusSeconds(s);
      pass(t);
    }

    // No retry for a timeout, whatever the retries (Airflow's AirflowSensorTimeout).
    assertThat(state(hard)).isEqualTo(TaskInstanceState.FAILED);
    assertThat(state(soft)).isEqualTo(TaskInstanceState.SKIPPED);
  }

  @Test
  void theTimeoutCountsFromTheFirstCheckAcrossATriggererRestart() throws Exception {
    runOf(
        dag("d", task("wait", "sensor", fileSensor(tmp.resolve("never"), "30s", false), 0)),
        "r",
        0);
    long id = defer("d", "r", "wait").get(0);
    Triggerer first = triggerer();
    pass(first); // the first check: trigger_timeout = T0 + 30 s
    first.close();
    assertThat(new TriggerRepository(db).count()).isEqualTo(1);

    clock.now = T0.plusSeconds(31);
    Triggerer second = triggerer();
    pass(second);

    assertThat(state(id)).isEqualTo(TaskInstanceState.FAILED);
    assertThat(Files.readString(log("d", "r", "wait", 1))).contains("timed out");
  }

  @Test
  void aTriggererWhoseHeartbeatWentStaleHasItsTriggersTakenOver() {
    Path ready = tmp.resolve("ready");
    runOf(dag("d", task("wait", "sensor", fileSensor(ready, "1h", false), 0)), "r", 20);
    List<Long> ids = defer("d", "r", "wait");
    Triggerer dead = triggerer();
    pass(dead);
    assertThat(dead.held()).isEqualTo(20);

    // It stops heart-beating (a pause, a kill -9); past the threshold another takes over.
    clock.now = T0.plusSeconds(31);
    Triggerer live = triggerer();
    pass(live);
    assertThat(live.held()).isEqualTo(20);
    assertThat(new JobRepository(db).get(dead.jobId()).orElseThrow().state())
        .isEqualTo(JobRepository.FAILED);

    try {
      Files.writeString(ready, "");
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    clock.now = T0.plusSeconds(45);
    pass(live);
    pass(dead); // it comes back: its job was ended, so it stops and ends nothing

    assertThat(dead.stoppedItself()).isTrue();
    assertThat(dead.held()).isZero();
    ids.forEach(id -> assertThat(state(id)).isEqualTo(TaskInstanceState.SUCCESS));
    ids.forEach(id -> assertThat(new TaskInstanceTries(db).history(id)).hasSize(1));
  }

  /** Counts the batched calls: one per round, however many conditions. */
  static final class CountingStates implements ExternalStates {
    final ExternalStates inner;
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger asked = new AtomicInteger();

    CountingStates(ExternalStates inner) {
      this.inner = inner;
    }

    @Override
    public Map<Condition.ExternalTask, Answer> states(Collection<Condition.ExternalTask> c) {
      calls.incrementAndGet();
      asked.addAndGet(c.size());
      return inner.states(c);
    }
  }

  @Test
  void aThousandSensorsOnOneRunCostOneQueryPerRoundAndEndWhenWoken() {
    runOf(dag("up", task("load", "shell", Map.of("command", "true"), 0)), "r", 0);
    Map<String, Object> args =
        Map.of(
            "wait",
            Map.of("external_task", Map.of("dag_id", "up", "task_id", "load")),
            "poke_interval",
            "60s");
    runOf(dag("down", task("wait", "sensor", args, 0)), "r", 1000);
    List<Long> ids = defer("down", "r", "wait");
    CountingStates counting = new CountingStates(new DatabaseExternalStates(db));
    Triggerer t = triggerer(db, counting, 1000);

    pass(t);
    assertThat(t.held()).isEqualTo(1000);
    assertThat(counting.calls.get()).isEqualTo(1);
    assertThat(counting.asked.get()).isEqualTo(1000);

    // The upstream succeeds; the scheduler's task-end signal wakes the triggerer before the
    // sensors' next poke (60 s away): one more query, and every sensor ends.
    setState(
        "up",
        "r",
        "load",
        TaskInstanceState.SCHEDULED,
        TaskInstanceState.QUEUED,
        TaskInstanceState.RUNNING,
        TaskInstanceState.SUCCESS);
    clock.now = T0.plusSeconds(1);
    t.changed();
    pass(t);

    assertThat(counting.calls.get()).isEqualTo(2);
    ids.forEach(id -> assertThat(state(id)).isEqualTo(TaskInstanceState.SUCCESS));
    assertThat(wakeups.get()).isEqualTo(1000);
  }

  @Test
  void anExternalTaskInAFailedStateFailsTheSensorAtOnce() {
    runOf(dag("up", task("load", "shell", Map.of("command", "true"), 0)), "r", 0);
    Map<String, Object> args =
        Map.of("wait", Map.of("external_task", Map.of("dag_id", "up", "task_id", "load")));
    runOf(dag("down", task("wait", "sensor", args, 2)), "r", 0);
    long id = defer("down", "r", "wait").get(0);
    setState(
        "up",
        "r",
        "load",
        TaskInstanceState.SCHEDULED,
        TaskInstanceState.QUEUED,
        TaskInstanceState.RUNNING,
        TaskInstanceState.FAILED);
    pass(triggerer());
    assertThat(state(id)).isEqualTo(TaskInstanceState.FAILED);
  }

  @Test
  void argumentsThatDoNotRenderFailTheTryWithOneLineInItsLog() throws Exception {
    Map<String, Object> args =
        Map.of("wait", Map.of("file", "/data/{{ no_such_name }}"), "poke_interval", "10s");
    runOf(dag("d", task("wait", "sensor", args, 1)), "r", 0);
    long id = defer("d", "r", "wait").get(0);

    pass(triggerer());

    // A failed try like any other: retried while retries are left.
    assertThat(state(id)).isEqualTo(TaskInstanceState.UP_FOR_RETRY);
    assertThat(Files.readString(log("d", "r", "wait", 1))).contains("no_such_name");
  }

  @Test
  void checksThatErrorThreeRoundsInARowFailTheTry() throws Exception {
    Map<String, Object> args =
        Map.of("wait", Map.of("http", "http://127.0.0.1:1/ready"), "poke_interval", "10s");
    runOf(dag("d", task("wait", "sensor", args, 0)), "r", 0);
    long id = defer("d", "r", "wait").get(0);
    // A refused connection errors at every check; said once in the log, not per check.
    Triggerer t = triggerer();
    for (int s = 0; s <= 20; s += 10) {
      assertThat(state(id)).isEqualTo(TaskInstanceState.DEFERRED);
      clock.now = T0.plusSeconds(s);
      pass(t);
    }
    assertThat(state(id)).isEqualTo(TaskInstanceState.FAILED);
    String log = Files.readString(log("d", "r", "wait", 1));
    assertThat(log).contains("errored 3 rounds in a row");
    assertThat(log.lines().filter(l -> l.contains("127.0.0.1:1/ready")).count())
        .as(log)
        .isEqualTo(3); // deferred (what it waits for), the first check, the end
    assertThat(log).doesNotContain("check 2:");
  }

  /** SPEC §1.9: an unknown connection is not the sensor's failure; it waits and says so once. */
  @Test
  void anUnknownConnectionKeepsTheSensorWaitingAndIsSaidOnce() throws Exception {
    Map<String, Object> args =
        Map.of("wait", Map.of("sql", "select 1", "conn", "no_such_conn"), "poke_interval", "10s");
    runOf(dag("d", task("wait", "sensor", args, 0)), "r", 0);
    long id = defer("d", "r", "wait").get(0);
    Triggerer t = triggerer();
    for (int s = 0; s <= 50; s += 10) {
      clock.now = T0.plusSeconds(s);
      pass(t);
    }
    assertThat(state(id)).isEqualTo(TaskInstanceState.DEFERRED);
    String log = Files.readString(log("d", "r", "wait", 1));
    assertThat(log.lines().filter(l -> l.contains("connection 'no_such_conn' is not defined")))
        .as(log)
        .hasSize(1);
  }

  @Test
  void triggerDagsWaitHandedOverByARunningTryEndsWhenTheRunSucceeds() {
    runOf(dag("target", task("work", "shell", Map.of("command", "true"), 0)), "t1", 0);
    runOf(
        dag("parent", task("trigger", "trigger_dag", Map.of("trigger_dag_id", "target"), 0)),
        "p",
        0);
    long id = instances("parent", "p", "trigger").get(0).id();
    setState("parent", "p", "trigger", TaskInstanceState.SCHEDULED, TaskInstanceState.QUEUED);
    new TaskInstanceTries(db).start(id, "h", 1, clock.instant());
    SensorSpec spec =
        new SensorSpec(
            SensorMode.DEFER,
            Duration.ofSeconds(60),
            false,
            Duration.ofHours(1),
            false,
            List.of(
                new Condition.ExternalTask(
                    "target", null, null, "t1", List.of("success"), List.of("failed"))));
    assertThat(
            new TaskInstanceDeferrals(db)
                .deferRunning(id, 1, TriggerKinds.SPEC, spec.toJson(), T0.plusSeconds(3600), T0))
        .isTrue();
    Triggerer t = triggerer();
    pass(t);
    assertThat(state(id)).isEqualTo(TaskInstanceState.DEFERRED);

    new DagRunRepository(db)
        .setState(
            new DagRunRepository(db).get("target", "t1").orElseThrow().id(),
            DagRunState.RUNNING,
            DagRunState.SUCCESS,
            clock.instant());
    t.changed();
    pass(t);
    assertThat(state(id)).isEqualTo(TaskInstanceState.SUCCESS);
  }
}
