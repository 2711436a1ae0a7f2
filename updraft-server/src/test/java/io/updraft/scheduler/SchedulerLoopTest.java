package io.updraft.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.dag.Dag;
import io.updraft.executor.Executor;
import io.updraft.executor.NullExecutor;
import io.updraft.sdk.Dags;
import io.updraft.sdk.Tasks;
import io.updraft.serde.DagSerializer;
import io.updraft.state.DagRunState;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.DagRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.Database;
import io.updraft.store.NewDagRun;
import io.updraft.store.Pool;
import io.updraft.store.PoolRepository;
import io.updraft.store.RunType;
import io.updraft.store.SerializedDagRepository;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import io.updraft.store.TaskInstanceTries;
import io.updraft.timetable.TimeRestriction;
import io.updraft.timetable.Timetables;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loop's steps together, on a real H2 database, with executors that run nothing. */
class SchedulerLoopTest {
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

  private void register(Dag dag) {
    new SerializedDagRepository(db).store(dag.dagId(), DagSerializer.serialize(dag), "t.yaml", NOW);
    DagRepository dags = new DagRepository(db);
    dags.upsert(dag, "t.yaml", false, NOW);
    dags.setNextRun(
        dag.dagId(),
        Timetables.of(dag)
            .nextDagRunInfo(null, TimeRestriction.of(dag), NOW)
            .map(io.updraft.store.NextDagRun::of)
            .orElse(null));
  }

  private SchedulerLoop loop(Executor executor) {
    return new SchedulerLoop(
        SchedulerContext.create(db, executor, wakeup, clock, 1), Duration.ofSeconds(1));
  }

  private Map<String, TaskInstanceState> states(String dagId, String runId) {
    Map<String, TaskInstanceState> m = new TreeMap<>();
    new TaskInstanceRepository(db)
        .listForRun(dagId, runId)
        .forEach(t -> m.put(t.taskId(), t.state()));
    return m;
  }

  private static Dag seed000(String dagId, boolean catchup) {
    var b = Dags.dag(dagId).schedule("@daily").startDate("2024-01-01").catchup(catchup);
    b.task(Tasks.shell("t1", "true"));
    b.task(Tasks.shell("t2", "true").upstream("t1"));
    b.task(Tasks.shell("t3", "true").upstream("t2"));
    for (int i = 4; i <= 8; i++) {
      b.task(Tasks.shell("t" + i, "true").upstream("t3"));
    }
    for (int i = 9; i <= 12; i++) {
      b.task(Tasks.shell("t" + i, "true").upstream("t8"));
    }
    return b.build();
  }

  @Test
  void catchupCreatesEveryMissedRunAndTheyAllSucceed() {
    register(seed000("d", true));
    HoldingExecutor.drain(loop(new NullExecutor(db, clock, wakeup)));
    List<DagRunRow> runs =
        new ArrayList<>(new io.updraft.store.DagRunRepository(db).list("d", 100));
    // Intervals starting Jan 1, 2 and 3 are complete at Jan 4 12:00; Jan 4's is not.
    assertThat(runs).hasSize(3);
    assertThat(runs).allMatch(r -> r.state() == DagRunState.SUCCESS);
    assertThat(runs).extracting(DagRunRow::runId).contains("scheduled__2024-01-01T00:00:00+00:00");
    for (DagRunRow r : runs) {
      assertThat(states("d", r.runId()).values())
          .hasSize(12)
          .containsOnly(TaskInstanceState.SUCCESS);
    }
    assertThat(new DagRepository(db).get("d").orElseThrow().next().logicalDate())
        .isEqualTo(Instant.parse("2024-01-04T00:00:00Z"));
  }

  @Test
  void withoutCatchupOnlyTheNewestIntervalRuns() {
    register(seed000("d", false));
    HoldingExecutor.drain(loop(new NullExecutor(db, clock, wakeup)));
    assertThat(new io.updraft.store.DagRunRepository(db).list("d", 100))
        .extracting(DagRunRow::runId)
        .containsExactly("scheduled__2024-01-03T00:00:00+00:00");
  }

  @Test
  void aFailurePropagatesAndFailsTheRun() {
    register(seed000("d", false));
    Function<TaskInstanceRow, TaskInstanceState> t3Fails =
        ti -> ti.taskId().equals("t3") ? TaskInstanceState.FAILED : TaskInstanceState.SUCCESS;
    HoldingExecutor.drain(loop(new NullExecutor(db, clock, wakeup, t3Fails)));
    String run = "scheduled__2024-01-03T00:00:00+00:00";
    Map<String, TaskInstanceState> s = states("d", run);
    assertThat(s)
        .containsEntry("t2", TaskInstanceState.SUCCESS)
        .containsEntry("t3", TaskInstanceState.FAILED);
    for (String t : List.of("t4", "t8", "t9", "t12")) {
      assertThat(s).containsEntry(t, TaskInstanceState.UPSTREAM_FAILED);
    }
    assertThat(new io.updraft.store.DagRunRepository(db).get("d", run).orElseThrow().state())
        .isEqualTo(DagRunState.FAILED);
  }

  @Test
  void aPoolIsNeverOverItsSlotsAndFreedSlotsAreReused() {
    new PoolRepository(db).set(new Pool("two", 2, null, false));
    var b = Dags.dag("p").schedule((String) null);
    for (int i = 0; i < 5; i++) {
      b.task(Tasks.shell("t" + i, "true").pool("two"));
    }
    Dag dag = b.build();
    register(dag);
    SchedulerContext ctx = SchedulerContext.create(db, new HoldingExecutor(100), wakeup, clock, 1);
    db.runInTransaction(
        () ->
            CreateDagRuns.createRun(
                ctx.runs(),
                ctx.taskInstances(),
                db,
                dag,
                new NewDagRun(
                    "p",
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
    HoldingExecutor executor = new HoldingExecutor(100);
    SchedulerLoop loop = loop(executor);
    HoldingExecutor.drain(loop);
    assertThat(executor.held).hasSize(2);
    assertThat(states("p", "manual__x").values())
        .filteredOn(s -> s == TaskInstanceState.QUEUED)
        .hasSize(2);
    TaskInstanceTries tries = new TaskInstanceTries(db);
    for (TaskInstanceRow ti : List.copyOf(executor.held)) {
      tries.start(ti.id(), "h", 1, NOW);
      tries.finish(ti.id(), TaskInstanceState.RUNNING, TaskInstanceState.SUCCESS, NOW, null);
    }
    executor.held.clear();
    HoldingExecutor.drain(loop);
    assertThat(executor.held).hasSize(2);
  }

  @Test
  void maxActiveRunsHoldsBackQueuedRuns() {
    Dag dag =
        Dags.dag("m")
            .schedule("@daily")
            .startDate("2024-01-01")
            .catchup(true)
            .maxActiveRuns(1)
            .task(Tasks.shell("a", "true"))
            .build();
    register(dag);
    HoldingExecutor executor = new HoldingExecutor(100);
    HoldingExecutor.drain(loop(executor));
    var runs = new io.updraft.store.DagRunRepository(db).list("m", 10);
    assertThat(runs).hasSize(1);
    assertThat(runs.get(0).state()).isEqualTo(DagRunState.RUNNING);
    assertThat(executor.held).hasSize(1);
  }

  @Test
  void aFollowUpPassLeavesTheRunsJustExaminedUnlessASignalNamesNothing() {
    register(seed000("d", true)); // three runs, their first tasks held queued: all running
    SchedulerContext ctx = SchedulerContext.create(db, new HoldingExecutor(100), wakeup, clock, 1);
    HoldingExecutor.drain(new SchedulerLoop(ctx, Duration.ofSeconds(1)));
    wakeup.takeChanges();
    var runs = new io.updraft.store.DagRunRepository(db);
    // the runs' last scheduling decisions
    java.util.function.Supplier<List<Instant>> decisions =
        () -> runs.list("d", 10).stream().map(DagRunRow::lastSchedulingDecision).toList();
    assertThat(decisions.get()).hasSize(3).containsOnly(NOW);
    ScheduleDagRuns step = new ScheduleDagRuns(ctx);

    // Right after work, with nothing named: the runs examined within the last second rest.
    step.run(NOW.plusMillis(500), true);
    assertThat(decisions.get()).containsOnly(NOW);
    // A signal naming nothing (a trigger, another process) asks for the whole rotation.
    wakeup.signal();
    step.run(NOW.plusMillis(600), true);
    assertThat(decisions.get()).containsOnly(NOW.plusMillis(600));
    // A pass after a wait (a deadline, the idle timeout) takes the whole rotation too.
    step.run(NOW.plusMillis(700), false);
    assertThat(decisions.get()).containsOnly(NOW.plusMillis(700));
    // Once rested, a follow-up takes them again.
    step.run(NOW.plusMillis(1701), true);
    assertThat(decisions.get()).containsOnly(NOW.plusMillis(1701));
  }

  @Test
  void aWakeupSignalIsNotLostWhileTheLoopIsBusy() throws Exception {
    wakeup.signal();
    assertThat(wakeup.await(Duration.ofSeconds(5))).isTrue();
    assertThat(wakeup.await(Duration.ZERO)).isFalse();
  }

  @Test
  void clearingAFailedTaskAndItsDownstreamReRunsThemAndTheRunSucceeds() {
    register(seed000("d", false));
    java.util.concurrent.atomic.AtomicBoolean failT3 =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    Function<TaskInstanceRow, TaskInstanceState> outcome =
        ti ->
            ti.taskId().equals("t3") && failT3.get()
                ? TaskInstanceState.FAILED
                : TaskInstanceState.SUCCESS;
    SchedulerLoop loop = loop(new NullExecutor(db, clock, wakeup, outcome));
    HoldingExecutor.drain(loop);
    String run = "scheduled__2024-01-03T00:00:00+00:00";
    var runs = new io.updraft.store.DagRunRepository(db);
    assertThat(runs.get("d", run).orElseThrow().state()).isEqualTo(DagRunState.FAILED);

    failT3.set(false);
    DagVersions versions = new DagVersions(new SerializedDagRepository(db));
    ClearTasks.Cleared cleared = ClearTasks.clear(db, versions, "d", "^t3$", true, null, null, NOW);
    // t3 (failed) and its 9 downstream (upstream_failed) go back to none; t1, t2 stay success.
    assertThat(cleared).isEqualTo(new ClearTasks.Cleared(10, 1));
    assertThat(runs.get("d", run).orElseThrow().state()).isEqualTo(DagRunState.QUEUED);
    assertThat(states("d", run))
        .containsEntry("t1", TaskInstanceState.SUCCESS)
        .containsEntry("t3", TaskInstanceState.NONE);

    HoldingExecutor.drain(loop);
    assertThat(runs.get("d", run).orElseThrow().state()).isEqualTo(DagRunState.SUCCESS);
    assertThat(states("d", run).values()).containsOnly(TaskInstanceState.SUCCESS);
    TaskInstanceRow t3 =
        new TaskInstanceRepository(db)
            .listForRun("d", run).stream()
                .filter(t -> t.taskId().equals("t3"))
                .findFirst()
                .orElseThrow();
    assertThat(t3.tryNumber()).isEqualTo(2);
    assertThat(new TaskInstanceTries(db).history(t3.id())).hasSize(2);
  }
}
