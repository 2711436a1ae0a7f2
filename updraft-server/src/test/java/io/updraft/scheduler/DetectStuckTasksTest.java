package io.updraft.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.dag.Dag;
import io.updraft.executor.Executor;
import io.updraft.sdk.Dags;
import io.updraft.sdk.Tasks;
import io.updraft.serde.DagSerializer;
import io.updraft.state.DagRunState;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.DagRepository;
import io.updraft.store.Database;
import io.updraft.store.JobRepository;
import io.updraft.store.JobType;
import io.updraft.store.NewDagRun;
import io.updraft.store.RunType;
import io.updraft.store.SerializedDagRepository;
import io.updraft.store.StuckTaskInstances;
import io.updraft.store.TaskInstanceDeferrals;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import io.updraft.store.TaskInstanceTries;
import io.updraft.store.TriggerRepository;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lost tries are failed or retried; instances stuck in queued are queued again. */
class DetectStuckTasksTest {
  private static final Instant T0 = Instant.parse("2024-01-04T12:00:00Z");

  /** Takes work and never runs it: the worker "died". */
  private static final class Lost implements Executor {
    final List<TaskInstanceRow> held = new ArrayList<>();

    @Override
    public int openSlots() {
      return 100;
    }

    @Override
    public void queue(List<TaskInstanceRow> tis) {
      held.addAll(tis);
    }

    @Override
    public void close() {}
  }

  @TempDir Path tmp;
  private Database db;
  private final MovableClock clock = new MovableClock(T0);
  private final Lost executor = new Lost();
  private SchedulerLoop loop;
  private TaskInstanceRepository tis;
  private TaskInstanceTries tries;

  @BeforeEach
  void setUp() {
    db = Database.open("jdbc:h2:file:" + tmp.resolve("db"));
    db.migrate();
    tis = new TaskInstanceRepository(db);
    tries = new TaskInstanceTries(db);
    SchedulerContext ctx = SchedulerContext.create(db, executor, new Wakeup(), clock, 1);
    loop = new SchedulerLoop(ctx, Duration.ofSeconds(1), SchedulerLoop.Timeouts.defaults());
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  private void trigger(Dag dag) {
    new SerializedDagRepository(db).store(dag.dagId(), DagSerializer.serialize(dag), "t.yaml", T0);
    new DagRepository(db).upsert(dag, "t.yaml", false, T0);
    SchedulerContext ctx = SchedulerContext.create(db, executor, new Wakeup(), clock, 1);
    db.runInTransaction(
        () ->
            CreateDagRuns.createRun(
                ctx.runs(),
                ctx.taskInstances(),
                db,
                dag,
                new NewDagRun(
                    dag.dagId(),
                    "r",
                    RunType.MANUAL,
                    DagRunState.QUEUED,
                    T0,
                    T0,
                    T0,
                    T0,
                    null,
                    DagSerializer.hash(dag),
                    null),
                T0));
  }

  private TaskInstanceRow only(String dagId) {
    return tis.listForRun(dagId, "r").get(0);
  }

  @Test
  void aTryWhoseHeartbeatStoppedIsRetriedThenFailed() {
    trigger(Dags.dag("z").task(Tasks.shell("a", "true").retries(1).retryDelay("1m")).build());
    loop.runOnce();
    TaskInstanceRow queued = only("z");
    assertThat(queued.state()).isEqualTo(TaskInstanceState.QUEUED);
    tries.start(queued.id(), "host", 42, clock.now); // the worker starts, then dies: no heartbeat

    clock.now = T0.plus(Duration.ofMinutes(4));
    loop.runOnce();
    assertThat(only("z").state())
        .as("heartbeat still fresh enough")
        .isEqualTo(TaskInstanceState.RUNNING);

    clock.now = T0.plus(Duration.ofMinutes(6));
    loop.runOnce();
    TaskInstanceRow lost = only("z");
    assertThat(lost.state()).isEqualTo(TaskInstanceState.UP_FOR_RETRY);
    assertThat(lost.nextRetryAt()).isEqualTo(clock.now.plus(Duration.ofMinutes(1)));
    assertThat(tries.history(lost.id())).hasSize(1);

    clock.now = clock.now.plus(Duration.ofMinutes(2));
    loop.runOnce();
    TaskInstanceRow again = only("z");
    assertThat(again.state()).isEqualTo(TaskInstanceState.QUEUED);
    tries.start(again.id(), "host", 43, clock.now);
    clock.now = clock.now.plus(Duration.ofMinutes(6));
    loop.runOnce();
    loop.runOnce();
    assertThat(only("z").state()).as("no tries left").isEqualTo(TaskInstanceState.FAILED);
    assertThat(tries.history(again.id())).hasSize(2);
  }

  @Test
  void aHeartbeatThatLandsAfterTheStaleReadKeepsItsTry() {
    // decisions/0186: between reading a try as stale and failing it, its worker's heartbeat may
    // reach the row (an API server back from a restart); the worker then counts on the try being
    // its own for a whole timeout, so the write that fails it must not land.
    trigger(Dags.dag("h").task(Tasks.shell("a", "true").retries(1)).build());
    loop.runOnce();
    TaskInstanceRow queued = only("h");
    tries.start(queued.id(), "host", 42, clock.now);
    clock.now = T0.plus(Duration.ofMinutes(6));
    Instant staleBefore = clock.now.minus(Duration.ofMinutes(5));
    List<TaskInstanceRow> stale = new StuckTaskInstances(db).staleRunning(staleBefore, 10);
    assertThat(stale).singleElement().extracting(TaskInstanceRow::id).isEqualTo(queued.id());

    assertThat(tries.heartbeat(queued.id(), 1, clock.now)).isTrue();
    assertThat(
            tries.finishLost(
                stale.get(0), TaskInstanceState.UP_FOR_RETRY, clock.now, null, staleBefore))
        .as("the heartbeat came after the stale read")
        .isFalse();
    assertThat(only("h").state()).isEqualTo(TaskInstanceState.RUNNING);
    assertThat(tries.history(queued.id())).isEmpty();

    clock.now = clock.now.plus(Duration.ofMinutes(6));
    Instant later = clock.now.minus(Duration.ofMinutes(5));
    TaskInstanceRow stillStale = new StuckTaskInstances(db).staleRunning(later, 10).get(0);
    assertThat(tries.finishLost(stillStale, TaskInstanceState.UP_FOR_RETRY, clock.now, null, later))
        .isTrue();
    assertThat(only("h").state()).isEqualTo(TaskInstanceState.UP_FOR_RETRY);
  }

  /**
   * A try that deferred has no worker and sends no heartbeat: its last heartbeat (from before it
   * deferred) grows old, and it must not be taken for a zombie.
   */
  @Test
  void aDeferredTryIsNeverTakenForAZombie() {
    trigger(Dags.dag("z").task(Tasks.shell("a", "true").retries(1)).build());
    loop.runOnce();
    TaskInstanceRow queued = only("z");
    tries.start(queued.id(), "host", 42, clock.now);
    assertThat(
            new TaskInstanceDeferrals(db)
                .deferRunning(queued.id(), 1, "spec", "{}", null, clock.now))
        .isTrue();

    clock.now = T0.plus(Duration.ofHours(6));
    loop.runOnce();
    loop.runOnce();

    TaskInstanceRow deferred = only("z");
    assertThat(deferred.state()).isEqualTo(TaskInstanceState.DEFERRED);
    assertThat(deferred.tryNumber()).isEqualTo(1);
    assertThat(tries.history(deferred.id())).isEmpty();
    assertThat(new TriggerRepository(db).count()).isEqualTo(1);
  }

  /** Cleared while running, then its worker died: restarting does not stay so forever. */
  @Test
  void aClearedTryWhoseHeartbeatStoppedIsRetriedAtOnce() {
    trigger(Dags.dag("c").task(Tasks.shell("a", "true").retryDelay("1h")).build());
    loop.runOnce();
    tries.start(only("c").id(), "host", 42, clock.now); // the worker starts, then dies
    ClearTasks.clear(
        db,
        new DagVersions(new SerializedDagRepository(db)),
        "c",
        null,
        false,
        null,
        null,
        clock.now);
    assertThat(only("c").state()).isEqualTo(TaskInstanceState.RESTARTING);

    clock.now = T0.plus(Duration.ofMinutes(6));
    loop.runOnce();
    TaskInstanceRow lost = only("c");
    assertThat(lost.state())
        .as("retried though it has no retries: it was cleared")
        .isEqualTo(TaskInstanceState.QUEUED);
    assertThat(tries.history(lost.id()))
        .extracting(TaskInstanceTries.Try::state)
        .containsExactly(TaskInstanceState.UP_FOR_RETRY);
  }

  @Test
  void anInstanceStuckInQueuedIsQueuedAgain() {
    trigger(Dags.dag("q").task(Tasks.shell("a", "true")).build());
    loop.runOnce();
    assertThat(only("q").state()).isEqualTo(TaskInstanceState.QUEUED);
    assertThat(executor.held).hasSize(1);

    clock.now = T0.plus(Duration.ofMinutes(11));
    loop.runOnce();
    // Back to scheduled, then queued again in the same pass: handed to the executor a second time.
    assertThat(only("q").state()).isEqualTo(TaskInstanceState.QUEUED);
    assertThat(executor.held).hasSize(2);
  }

  @Test
  void whatADeadSchedulerQueuedIsRescheduledOnceItsHeartbeatIsOld() {
    JobRepository jobs = new JobRepository(db);
    long dead = jobs.register(JobType.SCHEDULER, "gone", 7, T0);
    long self = jobs.register(JobType.SCHEDULER, "here", 8, T0);
    SchedulerContext deadCtx = SchedulerContext.create(db, executor, new Wakeup(), clock, dead);
    trigger(Dags.dag("o").task(Tasks.shell("a", "true")).build());
    new SchedulerLoop(deadCtx, Duration.ofSeconds(1)).runOnce(); // queued by the dead one
    assertThat(only("o").state()).isEqualTo(TaskInstanceState.QUEUED);
    assertThat(only("o").queuedByJobId()).isEqualTo(dead);

    SchedulerContext ctx = SchedulerContext.create(db, executor, new Wakeup(), clock, self);
    SchedulerLoop survivor =
        new SchedulerLoop(
            ctx,
            Duration.ofSeconds(1),
            new SchedulerLoop.Timeouts(
                Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofMinutes(10)));
    clock.now = T0.plusSeconds(20);
    survivor.runOnce();
    assertThat(only("o").queuedByJobId()).as("still alive at 20 s").isEqualTo(dead);

    clock.now = T0.plusSeconds(31);
    survivor.runOnce();
    assertThat(jobs.get(dead).orElseThrow().state()).isEqualTo("failed");
    assertThat(jobs.get(self).orElseThrow().state()).isEqualTo("running");
    // Rescheduled, and queued again by the survivor in the same pass, long before the 10 min
    // queued timeout.
    assertThat(only("o").state()).isEqualTo(TaskInstanceState.QUEUED);
    assertThat(only("o").queuedByJobId()).isEqualTo(self);
  }

  @Test
  void aSchedulerWhoseJobWasEndedByAnotherStopsItself() {
    JobRepository jobs = new JobRepository(db);
    long id = jobs.register(JobType.SCHEDULER, "slow", 9, T0);
    SchedulerLoop slow =
        new SchedulerLoop(
            SchedulerContext.create(db, executor, new Wakeup(), clock, id), Duration.ofMillis(10));
    jobs.failStale(JobType.SCHEDULER, T0.plusSeconds(1), T0.plusSeconds(60));
    slow.run(); // returns at once: its first pass finds its job ended
    assertThat(slow.stoppedItself()).isTrue();
  }

  @Test
  void liveSchedulersWithAShortHealthThresholdNeverTakeEachOtherForDead() {
    JobRepository jobs = new JobRepository(db);
    SchedulerLoop.Timeouts timeouts =
        new SchedulerLoop.Timeouts(
            Duration.ofSeconds(3), Duration.ofSeconds(3), Duration.ofMinutes(10));
    List<Long> ids = new ArrayList<>();
    List<SchedulerLoop> loops = new ArrayList<>();
    for (String host : List.of("a", "b")) {
      long id = jobs.register(JobType.SCHEDULER, host, 1, T0);
      ids.add(id);
      loops.add(
          new SchedulerLoop(
              SchedulerContext.create(db, executor, new Wakeup(), clock, id),
              Duration.ofSeconds(1),
              timeouts));
    }
    // Both loops pass every half second for 20 s, as busy schedulers do.
    for (int step = 0; step < 40; step++) {
      clock.now = T0.plusMillis(500L * step);
      loops.forEach(SchedulerLoop::runOnce);
    }
    assertThat(ids)
        .allSatisfy(id -> assertThat(jobs.get(id).orElseThrow().state()).isEqualTo("running"));
    assertThat(loops).noneMatch(SchedulerLoop::stoppedItself);
  }
}
