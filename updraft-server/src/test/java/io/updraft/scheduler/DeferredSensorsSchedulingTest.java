package io.updraft.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.dag.Dag;
import io.updraft.dag.Task;
import io.updraft.executor.Executor;
import io.updraft.sdk.DagBuilder;
import io.updraft.sdk.Dags;
import io.updraft.sdk.Tasks;
import io.updraft.serde.DagSerializer;
import io.updraft.state.DagRunState;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.DagRepository;
import io.updraft.store.Database;
import io.updraft.store.NewDagRun;
import io.updraft.store.Pool;
import io.updraft.store.PoolRepository;
import io.updraft.store.RunType;
import io.updraft.store.SerializedDagRepository;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import io.updraft.store.TaskInstanceTries;
import io.updraft.store.TriggerRepository;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 003's "waits ate every slot", on a real H2 database through the scheduler loop: a {@code
 * defer} sensor goes from scheduled to deferred in the pass that schedules it and holds no executor
 * slot, no pool slot (unless its pool has include_deferred) and no max_active_tasks place; a {@code
 * poke} sensor is an ordinary try and holds its slot while it runs.
 */
class DeferredSensorsSchedulingTest {
  private static final Instant NOW = Instant.parse("2024-01-04T12:00:00Z");

  @TempDir Path tmp;
  private Database db;
  private final Wakeup wakeup = new Wakeup();
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

  @BeforeEach
  void open() {
    db = Database.open("jdbc:h2:file:" + tmp.resolve("db"));
    db.migrate();
  }

  @AfterEach
  void close() {
    db.close();
  }

  /**
   * The task as a sensor in {@code mode} (null: the default): built as a shell task, since the
   * builder's checks of a sensor's own keys are not this test's subject.
   */
  private static Task sensor(Task base, String mode) {
    Map<String, Object> args = new HashMap<>();
    args.put("wait", Map.of("file", "/nonexistent/ready"));
    if (mode != null) {
      args.put("mode", mode);
    }
    return new Task(
        base.taskId(),
        "sensor",
        args,
        base.upstream(),
        base.triggerRule(),
        base.retries(),
        base.retryDelay(),
        base.retryExponentialBackoff(),
        base.maxRetryDelay(),
        base.executionTimeout(),
        base.pool(),
        base.poolSlots(),
        base.priorityWeight(),
        base.weightRule(),
        base.queue(),
        base.maxActiveTisPerDag(),
        base.dependsOnPast(),
        base.waitForDownstream(),
        base.startDate(),
        base.endDate(),
        base.env(),
        base.owner(),
        base.doc(),
        base.callbacks());
  }

  /**
   * A DAG with {@code sensors} sensors (task ids s0...) in {@code mode} and {@code others} shell
   * tasks (t0...), all in {@code pool}; registered with one running manual run.
   */
  private Dag dagWithRun(String pool, int sensors, String mode, int others, int maxActiveTasks) {
    return dagWithRun(pool, sensors, mode, others, maxActiveTasks, null);
  }

  private Dag dagWithRun(
      String pool, int sensors, String mode, int others, int maxActiveTasks, Duration timeout) {
    DagBuilder b = Dags.dag("d").schedule((String) null).maxActiveTasks(maxActiveTasks);
    if (timeout != null) {
      b.dagrunTimeout(timeout.getSeconds() + "s");
    }
    for (int i = 0; i < sensors; i++) {
      b.task(Tasks.shell("s" + i, "true").pool(pool).priorityWeight(10));
    }
    for (int i = 0; i < others; i++) {
      b.task(Tasks.shell("t" + i, "true").pool(pool));
    }
    Dag built = b.build();
    Dag dag =
        built.withTasks(
            built.tasks().stream()
                .map(t -> t.taskId().startsWith("s") ? sensor(t, mode) : t)
                .toList());
    new SerializedDagRepository(db).store("d", DagSerializer.serialize(dag), "t.yaml", NOW);
    new DagRepository(db).upsert(dag, "t.yaml", false, NOW);
    SchedulerContext ctx = SchedulerContext.create(db, new HoldingExecutor(0), wakeup, clock, 1);
    db.runInTransaction(
        () ->
            CreateDagRuns.createRun(
                ctx.runs(),
                ctx.taskInstances(),
                db,
                dag,
                new NewDagRun(
                    "d",
                    "manual__x",
                    RunType.MANUAL,
                    DagRunState.QUEUED,
                    NOW,
                    NOW,
                    NOW,
                    NOW,
                    null,
                    DagSerializer.hash(dag),
                    null),
                NOW));
    return dag;
  }

  private SchedulerLoop loop(Executor executor) {
    return new SchedulerLoop(
        SchedulerContext.create(db, executor, wakeup, clock, 1), Duration.ofSeconds(1));
  }

  private List<TaskInstanceRow> instances() {
    return new TaskInstanceRepository(db).listForRun("d", "manual__x");
  }

  private long count(String prefix, TaskInstanceState state) {
    return instances().stream()
        .filter(t -> t.taskId().startsWith(prefix) && t.state() == state)
        .count();
  }

  /** The executor's tries all succeed now; it is empty again. */
  private void finishAll(HoldingExecutor executor) {
    TaskInstanceTries tries = new TaskInstanceTries(db);
    for (TaskInstanceRow ti : executor.held) {
      tries.start(ti.id(), "h", 1, NOW);
      tries.finish(ti.id(), TaskInstanceState.RUNNING, TaskInstanceState.SUCCESS, NOW, null);
    }
    executor.held.clear();
  }

  @Test
  void withParallelismFourFortyDeferredSensorsLeaveEverySlotToOtherTasks() {
    dagWithRun("default_pool", 40, null, 6, 100);
    HoldingExecutor executor = new HoldingExecutor(4);
    SchedulerLoop loop = loop(executor);

    HoldingExecutor.drain(loop);

    assertThat(count("s", TaskInstanceState.DEFERRED)).isEqualTo(40);
    assertThat(new TriggerRepository(db).count()).isEqualTo(40);
    assertThat(executor.held)
        .hasSize(4)
        .allMatch(t -> t.taskId().startsWith("t"), "only the shell tasks reach the executor");
    TaskInstanceRow s0 =
        instances().stream().filter(t -> t.taskId().equals("s0")).findFirst().orElseThrow();
    assertThat(s0.tryNumber()).isEqualTo(1);
    assertThat(s0.startDate()).isEqualTo(NOW);

    finishAll(executor);
    HoldingExecutor.drain(loop);
    assertThat(executor.held).hasSize(2);
    finishAll(executor);
    HoldingExecutor.drain(loop);
    assertThat(count("t", TaskInstanceState.SUCCESS)).isEqualTo(6);
    assertThat(count("s", TaskInstanceState.DEFERRED)).isEqualTo(40);
  }

  @Test
  void deferredSensorsDoNotCountTowardMaxActiveTasks() {
    dagWithRun("default_pool", 40, "defer", 3, 2);
    HoldingExecutor executor = new HoldingExecutor(100);

    HoldingExecutor.drain(loop(executor));

    assertThat(count("s", TaskInstanceState.DEFERRED)).isEqualTo(40);
    assertThat(executor.held).hasSize(2).allMatch(t -> t.taskId().startsWith("t"));
  }

  @Test
  void aPoolOfTwoSlotsWithTwoHundredDeferredSensorsStillRunsItsOtherTasks() {
    new PoolRepository(db).set(new Pool("two", 2, null, false));
    dagWithRun("two", 200, null, 5, 1000);
    HoldingExecutor executor = new HoldingExecutor(100);
    SchedulerLoop loop = loop(executor);

    HoldingExecutor.drain(loop);

    assertThat(count("s", TaskInstanceState.DEFERRED)).isEqualTo(200);
    assertThat(executor.held).hasSize(2).allMatch(t -> t.taskId().startsWith("t"));
    finishAll(executor);
    HoldingExecutor.drain(loop);
    assertThat(executor.held).hasSize(2);
    finishAll(executor);
    HoldingExecutor.drain(loop);
    assertThat(executor.held).hasSize(1);
    finishAll(executor);
    assertThat(count("t", TaskInstanceState.SUCCESS)).isEqualTo(5);
  }

  @Test
  void aPoolWithIncludeDeferredCountsItsDeferredSensors() {
    new PoolRepository(db).set(new Pool("two", 2, null, true));
    dagWithRun("two", 2, null, 3, 1000);
    HoldingExecutor executor = new HoldingExecutor(100);

    HoldingExecutor.drain(loop(executor));

    assertThat(count("s", TaskInstanceState.DEFERRED)).isEqualTo(2);
    assertThat(executor.held).as("the deferred sensors fill the pool, as in Airflow").isEmpty();
  }

  @Test
  void aPokeSensorHoldsItsPoolSlotWhileItRuns() {
    new PoolRepository(db).set(new Pool("two", 2, null, false));
    dagWithRun("two", 1, "poke", 3, 1000);
    HoldingExecutor executor = new HoldingExecutor(100);
    SchedulerLoop loop = loop(executor);

    HoldingExecutor.drain(loop);

    // The sensor (higher priority) and one shell task take the pool's two slots.
    assertThat(executor.held).extracting(TaskInstanceRow::taskId).containsExactly("s0", "t0");
    assertThat(new TriggerRepository(db).count()).isZero();
    TaskInstanceTries tries = new TaskInstanceTries(db);
    TaskInstanceRow sensor = executor.held.get(0);
    TaskInstanceRow shell = executor.held.get(1);
    tries.start(sensor.id(), "h", 1, NOW);
    tries.start(shell.id(), "h", 1, NOW);
    tries.finish(shell.id(), TaskInstanceState.RUNNING, TaskInstanceState.SUCCESS, NOW, null);
    executor.held.clear();

    HoldingExecutor.drain(loop);

    assertThat(count("s", TaskInstanceState.RUNNING)).isEqualTo(1);
    assertThat(executor.held)
        .as("the poking sensor still holds one of the two slots")
        .extracting(TaskInstanceRow::taskId)
        .containsExactly("t1");
  }

  @Test
  void aRescheduleSensorIsAnOrdinaryTryForTheScheduler() {
    dagWithRun("default_pool", 1, "reschedule", 0, 100);
    HoldingExecutor executor = new HoldingExecutor(100);

    HoldingExecutor.drain(loop(executor));

    assertThat(executor.held).extracting(TaskInstanceRow::taskId).containsExactly("s0");
    assertThat(new TriggerRepository(db).count()).isZero();
  }

  @Test
  void clearingADeferredSensorDeletesItsTriggerAndTheNextPassDefersANewTry() {
    dagWithRun("default_pool", 1, null, 0, 100);
    SchedulerLoop loop = loop(new HoldingExecutor(4));
    HoldingExecutor.drain(loop);
    TriggerRepository triggers = new TriggerRepository(db);
    long first = triggers.claim(5, java.util.List.of(), 10, NOW).get(0).id();

    ClearTasks.Report report =
        ClearTasks.clear(
            db,
            new DagVersions(new SerializedDagRepository(db)),
            "d",
            new ClearTasks.Selection("^s0$", false, null, null, null, false),
            NOW);

    assertThat(report.instances())
        .extracting(ClearTasks.Instance::previous)
        .containsExactly(TaskInstanceState.DEFERRED);
    assertThat(triggers.get(first)).isEmpty();
    assertThat(triggers.count()).isZero();
    assertThat(count("s", TaskInstanceState.NONE)).isEqualTo(1);

    HoldingExecutor.drain(loop);
    assertThat(count("s", TaskInstanceState.DEFERRED)).isEqualTo(1);
    assertThat(triggers.count()).isEqualTo(1);
    assertThat(instances().get(0).tryNumber()).isEqualTo(2);
  }

  @Test
  void aRunTimeoutSkipsDeferredSensorsAndDeletesTheirTriggers() {
    dagWithRun("default_pool", 3, null, 0, 100, Duration.ofMinutes(10));
    MovableClock later = new MovableClock(NOW);
    SchedulerLoop loop =
        new SchedulerLoop(
            SchedulerContext.create(db, new HoldingExecutor(4), wakeup, later, 1),
            Duration.ofSeconds(1));
    HoldingExecutor.drain(loop);
    assertThat(new TriggerRepository(db).count()).isEqualTo(3);

    later.now = NOW.plus(Duration.ofMinutes(11));
    HoldingExecutor.drain(loop);

    assertThat(count("s", TaskInstanceState.SKIPPED)).isEqualTo(3);
    assertThat(new TriggerRepository(db).count()).isZero();
    assertThat(
            new io.updraft.store.DagRunRepository(db).get("d", "manual__x").orElseThrow().state())
        .isEqualTo(DagRunState.FAILED);
  }

  @Test
  void onlyALiteralOrAbsentDeferModeDefers() {
    Task shell = Task.of("x", "shell", Map.of("command", "true"));
    assertThat(DeferSensors.defersToTriggerer(sensor(shell, null))).isTrue();
    assertThat(DeferSensors.defersToTriggerer(sensor(shell, "defer"))).isTrue();
    assertThat(DeferSensors.defersToTriggerer(sensor(shell, "poke"))).isFalse();
    assertThat(DeferSensors.defersToTriggerer(sensor(shell, "reschedule"))).isFalse();
    assertThat(DeferSensors.defersToTriggerer(shell)).isFalse();
  }
}
