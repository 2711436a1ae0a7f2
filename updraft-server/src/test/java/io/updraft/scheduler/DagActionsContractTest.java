package io.updraft.scheduler;

import static io.updraft.state.TaskInstanceState.DEFERRED;
import static io.updraft.state.TaskInstanceState.FAILED;
import static io.updraft.state.TaskInstanceState.NONE;
import static io.updraft.state.TaskInstanceState.QUEUED;
import static io.updraft.state.TaskInstanceState.RESTARTING;
import static io.updraft.state.TaskInstanceState.RUNNING;
import static io.updraft.state.TaskInstanceState.SCHEDULED;
import static io.updraft.state.TaskInstanceState.SKIPPED;
import static io.updraft.state.TaskInstanceState.SUCCESS;
import static io.updraft.state.TaskInstanceState.UPSTREAM_FAILED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.updraft.UpdraftException;
import io.updraft.dag.Dag;
import io.updraft.sdk.Dags;
import io.updraft.sdk.Tasks;
import io.updraft.serde.DagSerializer;
import io.updraft.state.DagRunState;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.CallbackRequestRepository;
import io.updraft.store.DagRepository;
import io.updraft.store.DagRunRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.Database;
import io.updraft.store.DeadlineRepository;
import io.updraft.store.LogRepository;
import io.updraft.store.LogRow;
import io.updraft.store.ScratchDatabase;
import io.updraft.store.SerializedDagRepository;
import io.updraft.store.StateChange;
import io.updraft.store.TaskInstanceDeferrals;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import io.updraft.store.TaskInstanceTries;
import io.updraft.store.TestBackend;
import io.updraft.store.TriggerRepository;
import io.updraft.store.XComRepository;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link DagActions}' clear, mark and delete on a real database: what they write, what they leave,
 * and their audit records. DAG {@code d}: a → b → c, and d on its own.
 */
abstract class DagActionsContractTest {
  static final Instant NOW = Instant.parse("2024-02-01T00:00:00Z");
  static final String RUN = "r1";

  ScratchDatabase scratch;
  Database db;

  abstract TestBackend backend();

  static Dag dag() {
    return Dags.dag("d")
        .startDate("2024-01-01")
        .task(Tasks.shell("a", "true"))
        .task(Tasks.shell("b", "true").upstream("a").retries(2))
        .task(Tasks.shell("c", "true").upstream("b"))
        .task(Tasks.shell("d", "true"))
        .build();
  }

  @BeforeEach
  void seeded() {
    scratch = backend().create();
    db = Database.open(scratch.config());
    db.migrate();
    Dag dag = dag();
    new SerializedDagRepository(db).store("d", DagSerializer.serialize(dag), "d.yaml", NOW);
    new DagRepository(db).upsert(dag, "d.yaml", false, NOW);
    DagActions.trigger(db, "d", Instant.parse("2024-01-02T00:00:00Z"), RUN, null, "test", NOW);
  }

  @AfterEach
  void drop() throws Exception {
    if (db != null) {
      db.close();
    }
    if (scratch != null) {
      scratch.close();
    }
  }

  // ---- helpers

  TaskInstanceRow ti(String taskId) {
    return new TaskInstanceRepository(db)
        .listForRun("d", RUN).stream()
            .filter(t -> t.taskId().equals(taskId))
            .findFirst()
            .orElseThrow();
  }

  Map<String, TaskInstanceState> states() {
    Map<String, TaskInstanceState> states = new LinkedHashMap<>();
    for (TaskInstanceRow t : new TaskInstanceRepository(db).listForRun("d", RUN)) {
      states.put(t.taskId(), t.state());
    }
    return states;
  }

  DagRunRow run() {
    return new DagRunRepository(db).get("d", RUN).orElseThrow();
  }

  /** Walks a task instance to {@code to} through states the table allows. */
  void set(String taskId, TaskInstanceState to) {
    TaskInstanceRepository tis = new TaskInstanceRepository(db);
    TaskInstanceRow t = ti(taskId);
    switch (to) {
      case SUCCESS, FAILED, SKIPPED, UPSTREAM_FAILED, SCHEDULED ->
          tis.setStates(List.of(new StateChange(t.id(), t.state(), to)), NOW);
      case QUEUED -> {
        set(taskId, SCHEDULED);
        tis.setStates(List.of(new StateChange(t.id(), SCHEDULED, QUEUED)), NOW);
      }
      case RUNNING -> {
        set(taskId, QUEUED);
        new TaskInstanceTries(db).start(t.id(), "host", 42, NOW);
      }
      case DEFERRED -> {
        set(taskId, RUNNING);
        new TaskInstanceDeferrals(db)
            .deferRunning(t.id(), ti(taskId).tryNumber(), "time", "{}", null, NOW);
      }
      default -> throw new IllegalArgumentException(to.id());
    }
    assertThat(ti(taskId).state()).isEqualTo(to);
  }

  void runState(DagRunState to) {
    DagRunRow r = run();
    if (r.state() == DagRunState.QUEUED && to != DagRunState.QUEUED) {
      new DagRunRepository(db).setState(r.id(), DagRunState.QUEUED, DagRunState.RUNNING, NOW);
    }
    if (to == DagRunState.SUCCESS || to == DagRunState.FAILED) {
      new DagRunRepository(db).setState(r.id(), DagRunState.RUNNING, to, NOW);
    }
    assertThat(run().state()).isEqualTo(to);
  }

  LogRow lastAudit() {
    return new LogRepository(db).recent(1).get(0);
  }

  static DagActions.ClearSpec spec(List<String> taskIds, boolean upstream, boolean downstream) {
    return new DagActions.ClearSpec(RUN, taskIds, upstream, downstream, false, false, null, null);
  }

  // ---- clear

  @Test
  void clearsExactTasksWithTheirUpstreamAndQueuesTheFinishedRun() {
    for (String t : List.of("a", "b", "c", "d")) {
      set(t, SUCCESS);
    }
    runState(DagRunState.SUCCESS);

    List<ClearTasks.Instance> cleared =
        DagActions.clear(db, "d", spec(List.of("b"), true, false), false, "alice", NOW);

    assertThat(cleared).extracting(ClearTasks.Instance::taskId).containsExactlyInAnyOrder("a", "b");
    assertThat(cleared).extracting(ClearTasks.Instance::previous).containsOnly(SUCCESS);
    assertThat(states()).containsEntry("a", NONE).containsEntry("b", NONE);
    assertThat(states()).containsEntry("c", SUCCESS).containsEntry("d", SUCCESS);
    assertThat(ti("b").maxTries()).isEqualTo(ti("b").tryNumber() + 2);
    assertThat(run().state()).isEqualTo(DagRunState.QUEUED);
    LogRow audit = lastAudit();
    assertThat(audit.event()).isEqualTo("clear");
    assertThat(audit.owner()).isEqualTo("alice");
    assertThat(audit.taskId()).isEqualTo("b");
    assertThat(audit.runId()).isEqualTo(RUN);
    assertThat(audit.extra()).contains("\"upstream\":true").contains("\"cleared\":2");
  }

  @Test
  void aDryRunSaysWhatItWouldClearAndWritesNothing() {
    set("a", SUCCESS);
    set("b", FAILED);
    long audits = new LogRepository(db).recent(100).size();

    List<ClearTasks.Instance> planned =
        DagActions.clear(db, "d", spec(null, false, false), true, "alice", NOW);

    assertThat(planned).extracting(ClearTasks.Instance::taskId).containsExactlyInAnyOrder("a", "b");
    assertThat(states()).containsEntry("a", SUCCESS).containsEntry("b", FAILED);
    assertThat(new LogRepository(db).recent(100)).hasSize((int) audits);
  }

  @Test
  void onlyRunningClearsTheRunningOnesToRestartingAndOnlyFailedTheFailedOnes() {
    set("a", SUCCESS);
    set("b", RUNNING);
    set("d", FAILED);

    List<ClearTasks.Instance> running =
        DagActions.clear(
            db,
            "d",
            new DagActions.ClearSpec(RUN, null, false, false, false, true, null, null),
            false,
            "alice",
            NOW);
    assertThat(running).extracting(ClearTasks.Instance::taskId).containsExactly("b");
    assertThat(states()).containsEntry("b", RESTARTING).containsEntry("d", FAILED);

    List<ClearTasks.Instance> failed =
        DagActions.clear(
            db,
            "d",
            new DagActions.ClearSpec(null, null, false, false, true, false, null, null),
            false,
            "alice",
            NOW);
    assertThat(failed).extracting(ClearTasks.Instance::taskId).containsExactly("d");
    assertThat(states()).containsEntry("a", SUCCESS).containsEntry("d", NONE);
  }

  @Test
  void resetDagRunsFalseLeavesTheRunFinished() {
    set("a", FAILED);
    runState(DagRunState.FAILED);

    ClearTasks.Report r =
        DagActions.clear(db, "d", spec(List.of("a"), false, false), false, false, "alice", NOW);

    assertThat(r.instances()).hasSize(1);
    assertThat(r.runs()).isZero();
    assertThat(run().state()).isEqualTo(DagRunState.FAILED);
  }

  @Test
  void clearRefusesAnUnknownDagRunOrTask() {
    assertThatThrownBy(() -> DagActions.clear(db, "nope", spec(null, false, false), true, "x", NOW))
        .isInstanceOf(DagActions.NotFoundException.class)
        .hasMessageContaining("nope");
    assertThatThrownBy(
            () ->
                DagActions.clear(
                    db,
                    "d",
                    new DagActions.ClearSpec("r9", null, false, false, false, false, null, null),
                    true,
                    "x",
                    NOW))
        .isInstanceOf(DagActions.NotFoundException.class)
        .hasMessageContaining("r9");
    assertThatThrownBy(
            () -> DagActions.clear(db, "d", spec(List.of("zz"), false, false), true, "x", NOW))
        .isInstanceOf(DagActions.NotFoundException.class)
        .hasMessageContaining("zz");
  }

  // ---- mark a task instance

  @Test
  void markingSuccessResumesTheFailedOnesDownstreamAndQueuesTheRun() {
    set("a", SUCCESS);
    set("b", FAILED);
    set("c", UPSTREAM_FAILED);
    set("d", SUCCESS);
    runState(DagRunState.FAILED);

    List<ClearTasks.Instance> marked =
        DagActions.markTaskInstance(
            db, "d", RUN, "b", -1, SUCCESS, false, false, false, "bob", NOW);

    assertThat(marked).containsExactly(new ClearTasks.Instance(RUN, "b", -1, FAILED));
    assertThat(states()).containsEntry("b", SUCCESS).containsEntry("c", NONE);
    assertThat(run().state()).isEqualTo(DagRunState.QUEUED);
    LogRow audit = lastAudit();
    assertThat(audit.event()).isEqualTo("mark_success");
    assertThat(audit.owner()).isEqualTo("bob");
    assertThat(audit.taskId()).isEqualTo("b");
    assertThat(audit.extra()).contains("\"downstream_cleared\":1");
  }

  @Test
  void marksWithUpstreamAndDownstreamSkippingThoseAlreadyInTheState() {
    set("a", SUCCESS);

    List<ClearTasks.Instance> planned =
        DagActions.markTaskInstance(db, "d", RUN, "b", -1, FAILED, true, true, true, "bob", NOW);
    assertThat(planned)
        .extracting(ClearTasks.Instance::taskId)
        .containsExactlyInAnyOrder("a", "b", "c");
    assertThat(states()).containsEntry("b", NONE);

    List<ClearTasks.Instance> marked =
        DagActions.markTaskInstance(db, "d", RUN, "b", -1, SUCCESS, true, true, false, "bob", NOW);
    assertThat(marked).extracting(ClearTasks.Instance::taskId).containsExactlyInAnyOrder("b", "c");
    assertThat(states())
        .containsEntry("a", SUCCESS)
        .containsEntry("b", SUCCESS)
        .containsEntry("c", SUCCESS)
        .containsEntry("d", NONE);
  }

  @Test
  void aRunningInstanceMarkedSuccessIsNoLongerRunningSoItsWorkerStopsIt() {
    set("b", RUNNING);

    DagActions.markTaskInstance(db, "d", RUN, "b", -1, SUCCESS, false, false, false, "bob", NOW);

    assertThat(ti("b").state()).isEqualTo(SUCCESS);
    assertThat(ti("b").endDate()).isEqualTo(NOW);
    // The worker's heartbeat is refused: the signal that ends the try.
    assertThat(new TaskInstanceTries(db).heartbeat(List.of(ti("b").id()), NOW)).isEmpty();
  }

  @Test
  void aDeferredInstanceMarkedFailedLosesItsTrigger() {
    set("b", DEFERRED);
    assertThat(new TriggerRepository(db).count()).isEqualTo(1);

    DagActions.markTaskInstance(db, "d", RUN, "b", -1, FAILED, false, false, false, "bob", NOW);

    assertThat(ti("b").state()).isEqualTo(FAILED);
    assertThat(new TriggerRepository(db).count()).isZero();
  }

  @Test
  void markRefusesOtherStatesAndUnknownInstances() {
    assertThatThrownBy(
            () ->
                DagActions.markTaskInstance(
                    db, "d", RUN, "b", -1, QUEUED, false, false, false, "bob", NOW))
        .isInstanceOf(UpdraftException.class)
        .hasMessageContaining("success, failed or skipped");
    assertThatThrownBy(
            () ->
                DagActions.markTaskInstance(
                    db, "d", RUN, "b", 3, SUCCESS, false, false, false, "bob", NOW))
        .isInstanceOf(DagActions.NotFoundException.class)
        .hasMessageContaining("map_index 3");
    assertThatThrownBy(
            () ->
                DagActions.markTaskInstance(
                    db, "d", "r9", "b", -1, SUCCESS, false, false, false, "bob", NOW))
        .isInstanceOf(DagActions.NotFoundException.class);
  }

  // ---- mark a run

  @Test
  void markingARunSuccessSetsEveryInstanceNotYetSuccess() {
    set("a", SUCCESS);
    set("b", FAILED);
    set("c", RUNNING);
    runState(DagRunState.RUNNING);

    assertThat(DagActions.markRun(db, "d", RUN, DagRunState.SUCCESS, "carol", NOW)).isTrue();

    assertThat(states().values()).containsOnly(SUCCESS);
    assertThat(run().state()).isEqualTo(DagRunState.SUCCESS);
    assertThat(run().endDate()).isEqualTo(NOW);
    LogRow audit = lastAudit();
    assertThat(audit.event()).isEqualTo("dagrun_success");
    assertThat(audit.owner()).isEqualTo("carol");
    assertThat(audit.runId()).isEqualTo(RUN);
  }

  @Test
  void markingARunFailedFailsTheRunningOnesAndSkipsThePendingOnes() {
    set("a", SUCCESS);
    set("b", RUNNING);
    set("d", QUEUED);
    runState(DagRunState.RUNNING);

    assertThat(DagActions.markRun(db, "d", RUN, DagRunState.FAILED, "carol", NOW)).isTrue();

    assertThat(states())
        .containsEntry("a", SUCCESS)
        .containsEntry("b", FAILED)
        .containsEntry("c", SKIPPED)
        .containsEntry("d", SKIPPED);
    assertThat(run().state()).isEqualTo(DagRunState.FAILED);
    assertThat(lastAudit().event()).isEqualTo("dagrun_failed");
  }

  @Test
  void markingARunQueuedOnlyQueuesIt() {
    set("a", FAILED);
    runState(DagRunState.FAILED);

    assertThat(DagActions.markRun(db, "d", RUN, DagRunState.QUEUED, "carol", NOW)).isTrue();

    assertThat(run().state()).isEqualTo(DagRunState.QUEUED);
    assertThat(states()).containsEntry("a", FAILED);
    assertThat(lastAudit().event()).isEqualTo("dagrun_queued");
  }

  @Test
  void markRunSaysFalseForAnUnknownRunAndRefusesRunning() {
    assertThat(DagActions.markRun(db, "d", "r9", DagRunState.SUCCESS, "carol", NOW)).isFalse();
    assertThatThrownBy(() -> DagActions.markRun(db, "d", RUN, DagRunState.RUNNING, "carol", NOW))
        .isInstanceOf(UpdraftException.class)
        .hasMessageContaining("success, failed or queued");
  }

  // ---- concurrent triggers (group commit, decisions/0160)

  @Test
  void concurrentTriggersShareCommitsAndATakenRunIdFailsOnlyItsOwnRequest() throws Exception {
    int fresh = 30;
    int taken = 5;
    int lanes = db.groupCommitLanes();
    java.util.concurrent.CountDownLatch leaderIn = new java.util.concurrent.CountDownLatch(lanes);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.ExecutorService threads =
        java.util.concurrent.Executors.newFixedThreadPool(fresh + taken + lanes);
    List<java.util.concurrent.Future<DagRunRow>> triggers = new java.util.ArrayList<>();
    try {
      // Units that hold every lane's group open (decisions/0182), so every trigger below waits
      // for the same next commit.
      List<java.util.concurrent.Future<Object>> leaders = new java.util.ArrayList<>();
      for (int l = 0; l < lanes; l++) {
        leaders.add(
            threads.submit(
                () ->
                    db.inGroupCommit(
                        "holding",
                        () -> {
                          leaderIn.countDown();
                          awaitLatch(release);
                          return null;
                        })));
      }
      awaitLatch(leaderIn);
      for (int i = 0; i < fresh + taken; i++) {
        int n = i;
        String runId = n < fresh ? "c" + n : RUN;
        Instant date = Instant.parse("2024-01-05T00:00:00Z").plusSeconds(60L * n);
        triggers.add(
            threads.submit(() -> DagActions.trigger(db, "d", date, runId, null, "user" + n, NOW)));
      }
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (db.groupCommitQueued() < fresh + taken && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(db.groupCommitQueued()).isEqualTo(fresh + taken);
      release.countDown();
      for (java.util.concurrent.Future<Object> leader : leaders) {
        leader.get(30, java.util.concurrent.TimeUnit.SECONDS);
      }
      for (int i = 0; i < fresh + taken; i++) {
        java.util.concurrent.Future<DagRunRow> f = triggers.get(i);
        if (i < fresh) {
          assertThat(f.get(30, java.util.concurrent.TimeUnit.SECONDS).runId()).isEqualTo("c" + i);
        } else {
          assertThatThrownBy(() -> f.get(30, java.util.concurrent.TimeUnit.SECONDS))
              .cause()
              .isInstanceOf(io.updraft.store.DuplicateDagRunException.class)
              .hasMessageContaining(RUN);
        }
      }
    } finally {
      threads.shutdownNow();
    }
    for (int i = 0; i < fresh; i++) {
      assertThat(new TaskInstanceRepository(db).listForRun("d", "c" + i)).hasSize(4);
    }
    assertThat(new LogRepository(db).recent(100))
        .filteredOn(r -> "trigger".equals(r.event()) && r.runId().startsWith("c"))
        .extracting(LogRow::owner)
        .hasSize(fresh)
        .doesNotHaveDuplicates();
  }

  @Test
  void aTriggerReturnsTheRowAsTheDatabaseHoldsItAndRefusesATakenRunIdOrDate() {
    // Not read back after the insert (issue 15): what it returns must be what a read gives.
    Instant now = Instant.parse("2024-02-01T00:00:00.123456789Z");
    DagRunRow returned =
        DagActions.trigger(
            db, "d", Instant.parse("2024-01-09T00:00:00Z"), "t1", "{\"k\": 1}", "test", now);
    assertThat(returned).isEqualTo(new DagRunRepository(db).get("d", "t1").orElseThrow());
    assertThatThrownBy(
            () ->
                DagActions.trigger(
                    db, "d", Instant.parse("2024-01-10T00:00:00Z"), "t1", null, "test", now))
        .isInstanceOf(io.updraft.store.DuplicateDagRunException.class)
        .hasMessage("DAG d already has a run with run_id t1: choose another run_id");
    assertThatThrownBy(
            () ->
                DagActions.trigger(
                    db, "d", Instant.parse("2024-01-09T00:00:00Z"), "t2", null, "test", now))
        .isInstanceOf(io.updraft.store.DuplicateDagRunException.class)
        .hasMessage(
            "DAG d already has a run with logical date 2024-01-09T00:00:00Z (run_id t1):"
                + " choose another logical date");
  }

  private static void awaitLatch(java.util.concurrent.CountDownLatch latch) {
    try {
      assertThat(latch.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  // ---- delete a run

  @Test
  void deletingARunDeletesEverythingOfItAndNothingElse() {
    DagActions.trigger(db, "d", Instant.parse("2024-01-03T00:00:00Z"), "r2", null, "test", NOW);
    set("a", SUCCESS);
    set("b", DEFERRED);
    DagRunRow run = run();
    XComRepository xcoms = new XComRepository(db);
    xcoms.put(run.id(), "d", RUN, "a", "return_value", "1", NOW);
    CallbackRequestRepository callbacks = new CallbackRequestRepository(db);
    callbacks.add(
        List.of(
            new CallbackRequestRepository.NewCallback(
                "d",
                RUN,
                null,
                -1,
                0,
                "on_success",
                "{\"kind\":\"shell\",\"command\":\"true\"}",
                null)),
        NOW);
    new DeadlineRepository(db).add(run.id(), "d", RUN, NOW, "{}", NOW);

    assertThat(DagActions.deleteRun(db, "d", RUN, "dave", NOW)).isTrue();

    assertThat(new DagRunRepository(db).get("d", RUN)).isEmpty();
    assertThat(new TaskInstanceRepository(db).listForRun("d", RUN)).isEmpty();
    assertThat(xcoms.get("d", RUN, "a", "return_value")).isEmpty();
    assertThat(callbacks.forRun("d", RUN)).isEmpty();
    assertThat(new DeadlineRepository(db).state("d", RUN)).isNull();
    assertThat(new TriggerRepository(db).count()).isZero();
    assertThat(new DagRunRepository(db).get("d", "r2")).isPresent();
    assertThat(new TaskInstanceRepository(db).listForRun("d", "r2")).hasSize(4);
    LogRow audit = lastAudit();
    assertThat(audit.event()).isEqualTo("delete_dag_run");
    assertThat(audit.owner()).isEqualTo("dave");
    assertThat(audit.runId()).isEqualTo(RUN);

    assertThat(DagActions.deleteRun(db, "d", RUN, "dave", NOW)).isFalse();
  }
}
