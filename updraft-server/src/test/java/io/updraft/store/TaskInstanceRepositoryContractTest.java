package io.updraft.store;

import static io.updraft.state.TaskInstanceState.FAILED;
import static io.updraft.state.TaskInstanceState.NONE;
import static io.updraft.state.TaskInstanceState.QUEUED;
import static io.updraft.state.TaskInstanceState.RESTARTING;
import static io.updraft.state.TaskInstanceState.RUNNING;
import static io.updraft.state.TaskInstanceState.SCHEDULED;
import static io.updraft.state.TaskInstanceState.SKIPPED;
import static io.updraft.state.TaskInstanceState.SUCCESS;
import static io.updraft.state.TaskInstanceState.UPSTREAM_FAILED;
import static io.updraft.state.TaskInstanceState.UP_FOR_RETRY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.updraft.state.DagRunState;
import io.updraft.state.IllegalTransitionException;
import io.updraft.state.TaskInstanceState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

abstract class TaskInstanceRepositoryContractTest extends RepositoryContractTest {

  TaskInstanceRepository tis() {
    return new TaskInstanceRepository(db);
  }

  TaskInstanceQueueing queueing() {
    return new TaskInstanceQueueing(db);
  }

  TaskInstanceTries tries() {
    return new TaskInstanceTries(db);
  }

  StuckTaskInstances stuck() {
    return new StuckTaskInstances(db);
  }

  static NewTaskInstance task(String id, int priority, String pool, int slots) {
    return new NewTaskInstance(id, -1, priority, pool, slots, "default", "bash", 2);
  }

  /** A running run with the given tasks; returns their ids in order. */
  List<Long> runWith(String dagId, String runId, int day, NewTaskInstance... tasks) {
    run(dagId, runId, DagRunState.RUNNING, day);
    tis().createForRun(dagId, runId, List.of(tasks), T0);
    return tis().listForRun(dagId, runId).stream().map(TaskInstanceRow::id).toList();
  }

  void moveTo(List<Long> ids, TaskInstanceState... path) {
    TaskInstanceState from = NONE;
    for (TaskInstanceState to : path) {
      TaskInstanceState f = from;
      tis().setStates(ids.stream().map(id -> new StateChange(id, f, to)).toList(), T0);
      from = to;
    }
  }

  TaskInstanceRow ti(long id) {
    return tis().get(id).orElseThrow();
  }

  @Test
  void createsTheTaskInstancesOfARunInOneBatch() {
    run("d", "r", DagRunState.RUNNING, 0);
    tis()
        .createForRun(
            "d",
            "r",
            List.of(
                new NewTaskInstance("a", -1, 5, "gpu", 2, "q1", "shell", 3),
                new NewTaskInstance("b", 0, 1, "default_pool", 1, null, null, 0)),
            T0);

    List<TaskInstanceRow> rows = tis().listForRun("d", "r");
    assertThat(rows).hasSize(2);
    TaskInstanceRow a = rows.get(0);
    assertThat(a)
        .isEqualTo(
            new TaskInstanceRow(
                a.id(), "d", "r", "a", -1, NONE, 0, 3, 5, "gpu", 2, "q1", "shell", null, null, null,
                null, null, null, null, null, null, T0));
    assertThat(rows.get(1).mapIndex()).isZero();
    assertThat(tis().listForRun("d", "other")).isEmpty();
  }

  @Test
  void setStatesReportsWhichChanged() {
    List<Long> ids =
        runWith("d", "r", 0, task("a", 1, "p", 1), task("b", 1, "p", 1), task("c", 1, "p", 1));
    moveTo(List.of(ids.get(1)), SCHEDULED);

    var changed =
        tis()
            .setStates(
                List.of(
                    new StateChange(ids.get(0), NONE, SCHEDULED),
                    new StateChange(ids.get(1), NONE, SCHEDULED), // already scheduled: lost race
                    new StateChange(ids.get(2), NONE, UPSTREAM_FAILED)),
                T0.plusSeconds(1));

    assertThat(changed).containsExactlyInAnyOrder(ids.get(0), ids.get(2));
    assertThat(ti(ids.get(0)).state()).isEqualTo(SCHEDULED);
    assertThat(ti(ids.get(0)).endDate()).isNull();
    assertThat(ti(ids.get(1)).updatedAt()).isEqualTo(T0);
    TaskInstanceRow failed = ti(ids.get(2));
    assertThat(failed.state()).isEqualTo(UPSTREAM_FAILED);
    assertThat(failed.startDate()).isEqualTo(T0.plusSeconds(1));
    assertThat(failed.endDate()).isEqualTo(T0.plusSeconds(1));
  }

  @Test
  void setStatesGuardsNonNoneStatesToo() {
    List<Long> ids = runWith("d", "r", 0, task("a", 1, "p", 1));
    moveTo(ids, SCHEDULED);
    assertThat(tis().setStates(List.of(new StateChange(ids.get(0), UP_FOR_RETRY, SCHEDULED)), T0))
        .isEmpty();
    assertThat(tis().setStates(List.of(new StateChange(ids.get(0), SCHEDULED, NONE)), T0))
        .containsExactly(ids.get(0));
    assertThat(ti(ids.get(0)).state()).isEqualTo(NONE);
  }

  @Test
  void anIllegalTransitionThrowsBeforeAnythingIsWritten() {
    List<Long> ids = runWith("d", "r", 0, task("a", 1, "p", 1), task("b", 1, "p", 1));
    assertThatThrownBy(
            () ->
                tis()
                    .setStates(
                        List.of(
                            new StateChange(ids.get(0), NONE, SCHEDULED),
                            new StateChange(ids.get(1), NONE, RUNNING)),
                        T0))
        .isInstanceOf(IllegalTransitionException.class);
    assertThat(ti(ids.get(0)).state()).isEqualTo(NONE);
    assertThatThrownBy(
            () ->
                tis()
                    .resetToNone(
                        List.of(new TaskInstanceRepository.Reset(ids.get(0), NONE, null)), T0))
        .isInstanceOf(IllegalTransitionException.class);
  }

  @Test
  void scheduledForQueueingOrdersByPriorityThenLogicalDateThenId() {
    List<Long> day1 =
        runWith(
            "d", "r1", 1, task("low", 1, "p", 1), task("high", 9, "p", 1), task("mid", 5, "p", 1));
    List<Long> day0 =
        runWith(
            "d", "r0", 0, task("low", 1, "p", 1), task("high", 9, "p", 1), task("mid2", 5, "p", 1));
    List<Long> all = Stream.concat(day0.stream(), day1.stream()).toList();
    moveTo(all, SCHEDULED);

    List<ScheduledTaskInstance> candidates =
        db.inTransaction(() -> queueing().scheduledForQueueing(10));

    assertThat(candidates)
        .extracting(c -> c.ti().runId() + "." + c.ti().taskId())
        .containsExactly("r0.high", "r1.high", "r0.mid2", "r1.mid", "r0.low", "r1.low");
    assertThat(candidates.get(0).logicalDate()).isEqualTo(T0);
    assertThat(db.inTransaction(() -> queueing().scheduledForQueueing(2)))
        .extracting(c -> c.ti().id())
        .containsExactly(day0.get(1), day1.get(1));
  }

  @Test
  void scheduledForQueueingLeavesOutOtherStatesQueuedRunsAndPausedDags() {
    List<Long> running = runWith("d", "r", 0, task("a", 1, "p", 1), task("b", 1, "p", 1));
    moveTo(List.of(running.get(0)), SCHEDULED);
    run("d", "queued-run", DagRunState.QUEUED, 1);
    tis().createForRun("d", "queued-run", List.of(task("a", 1, "p", 1)), T0);
    moveTo(
        tis().listForRun("d", "queued-run").stream().map(TaskInstanceRow::id).toList(), SCHEDULED);
    List<Long> paused = runWith("paused", "r", 0, task("a", 100, "p", 1));
    moveTo(paused, SCHEDULED);
    new DagRepository(db).upsert(DagRepositoryContractTest.dag("paused", null), "/p", true, T0);

    assertThat(db.inTransaction(() -> queueing().scheduledForQueueing(10)))
        .extracting(c -> c.ti().id())
        .containsExactly(running.get(0));
  }

  @Test
  void scheduledForQueueingLocksNoTaskRowsAndQueueTakesOnlyWhatIsStillScheduled() {
    List<Long> ids =
        runWith(
            "d",
            "r",
            0,
            task("a", 4, "p", 1),
            task("b", 3, "p", 1),
            task("c", 2, "p", 1),
            task("e", 1, "p", 1));
    moveTo(ids, SCHEDULED);
    db.runInTransaction(
        () -> {
          assertThat(queueing().scheduledForQueueing(2))
              .extracting(c -> c.ti().id())
              .containsExactly(ids.get(0), ids.get(1));
          // Another transaction can still change a candidate (a clear, a run timeout): no row
          // locks are held — the pool rows serialize schedulers, not these.
          assertThat(
                  onOtherThread(
                      () ->
                          tis()
                              .setStates(
                                  List.of(new StateChange(ids.get(1), SCHEDULED, SKIPPED)), T0)))
              .containsExactly(ids.get(1));
          assertThat(queueing().queue(List.of(ids.get(0), ids.get(1)), 7L, T0))
              .containsExactly(ids.get(0));
        });
  }

  @Test
  void scheduledForQueueingNeedsATransaction() {
    assertThatThrownBy(() -> queueing().scheduledForQueueing(1))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void queueStartHeartbeatAndFinishWithHistory() {
    List<Long> ids = runWith("d", "r", 0, task("a", 1, "p", 1), task("b", 1, "p", 1));
    moveTo(ids, SCHEDULED);
    Instant queuedAt = Instant.parse("2024-11-03T05:30:00Z");

    assertThat(queueing().queue(ids, 11L, queuedAt)).containsExactlyElementsOf(ids);
    assertThat(queueing().queue(ids, 12L, queuedAt)).isEmpty(); // already queued
    long id = ids.get(0);
    assertThat(ti(id).queuedDttm()).isEqualTo(queuedAt);
    assertThat(ti(id).queuedByJobId()).isEqualTo(11L);

    Instant started = queuedAt.plusSeconds(3600); // across the fall-back hour
    assertThat(tries().start(id, "host-1", 4242, started)).isTrue();
    assertThat(tries().start(id, "host-2", 1, started)).isFalse();
    TaskInstanceRow running = ti(id);
    assertThat(running.state()).isEqualTo(RUNNING);
    assertThat(running.tryNumber()).isEqualTo(1);
    assertThat(running.startDate()).isEqualTo(started);
    assertThat(running.lastHeartbeatAt()).isEqualTo(started);
    assertThat(running.hostname()).isEqualTo("host-1");
    assertThat(running.pid()).isEqualTo(4242);

    Instant beat = started.plusSeconds(5);
    assertThat(tries().heartbeat(ids, beat)).containsExactly(id); // b is not running
    assertThat(ti(id).lastHeartbeatAt()).isEqualTo(beat);

    Instant retryAt = started.plusSeconds(300);
    Instant ended = started.plusMillis(12_500);
    assertThat(tries().finish(id, RUNNING, UP_FOR_RETRY, ended, retryAt)).isTrue();
    TaskInstanceRow finished = ti(id);
    assertThat(finished.state()).isEqualTo(UP_FOR_RETRY);
    assertThat(finished.endDate()).isEqualTo(ended);
    assertThat(finished.duration()).isEqualTo(12.5);
    assertThat(finished.nextRetryAt()).isEqualTo(retryAt);
    assertThat(tries().history(id))
        .containsExactly(
            new TaskInstanceTries.Try(id, 1, UP_FOR_RETRY, started, ended, 12.5, "host-1"));

    // Second try.
    moveTo1(id, UP_FOR_RETRY, SCHEDULED);
    queueing().queue(List.of(id), 11L, ended);
    tries().start(id, "host-2", 7, ended.plusSeconds(1));
    assertThat(ti(id).tryNumber()).isEqualTo(2);
    assertThat(ti(id).nextRetryAt()).isNull();
    assertThat(tries().finish(id, RUNNING, SUCCESS, ended.plusSeconds(2), null)).isTrue();
    assertThat(tries().history(id))
        .extracting(TaskInstanceTries.Try::state)
        .containsExactly(UP_FOR_RETRY, SUCCESS);
  }

  @Test
  void queueOfSomeNoLongerScheduledSaysWhichWereQueued() {
    List<Long> ids =
        runWith("d", "r", 0, task("a", 1, "p", 1), task("b", 1, "p", 1), task("c", 1, "p", 1));
    moveTo(ids, SCHEDULED);
    moveTo1(ids.get(1), SCHEDULED, SKIPPED); // left scheduled since it was read
    assertThat(queueing().queue(ids, 5L, T0)).containsExactly(ids.get(0), ids.get(2));
    assertThat(ti(ids.get(1)).state()).isEqualTo(SKIPPED);
  }

  @Test
  void startAllAndFinishAllDoWhatStartAndFinishDoForEach() {
    List<Long> ids =
        runWith("d", "r", 0, task("a", 1, "p", 1), task("b", 1, "p", 1), task("c", 1, "p", 1));
    moveTo(ids, SCHEDULED);
    queueing().queue(ids.subList(0, 2), 3L, T0); // c stays scheduled
    Instant started = T0.plusSeconds(10);
    assertThat(tries().startAll(ids, "bulk", 9, started)).containsExactly(ids.get(0), ids.get(1));
    assertThat(ti(ids.get(0)).tryNumber()).isEqualTo(1);
    assertThat(ti(ids.get(0)).hostname()).isEqualTo("bulk");
    assertThat(ti(ids.get(2)).state()).isEqualTo(SCHEDULED);

    Instant ended = started.plusMillis(1500);
    assertThat(
            tries()
                .finishAll(
                    List.of(
                        new TaskInstanceTries.Ending(ids.get(0), SUCCESS, null),
                        new TaskInstanceTries.Ending(ids.get(1), UP_FOR_RETRY, ended),
                        new TaskInstanceTries.Ending(ids.get(2), SUCCESS, null)),
                    ended))
        .containsExactly(ids.get(0), ids.get(1));
    assertThat(ti(ids.get(0)).state()).isEqualTo(SUCCESS);
    assertThat(ti(ids.get(0)).duration()).isEqualTo(1.5);
    assertThat(ti(ids.get(1)).nextRetryAt()).isEqualTo(ended);
    assertThat(tries().history(ids.get(1)))
        .containsExactly(
            new TaskInstanceTries.Try(ids.get(1), 1, UP_FOR_RETRY, started, ended, 1.5, "bulk"));
    assertThat(ti(ids.get(2)).state()).as("not running: left alone").isEqualTo(SCHEDULED);
  }

  void moveTo1(long id, TaskInstanceState from, TaskInstanceState to) {
    assertThat(tis().setStates(List.of(new StateChange(id, from, to)), T0)).containsExactly(id);
  }

  @Test
  void finishWithTheWrongExpectedStateWritesNothing() {
    List<Long> ids = runWith("d", "r", 0, task("a", 1, "p", 1));
    long id = ids.get(0);
    moveTo(ids, SCHEDULED, QUEUED);
    assertThat(tries().finish(id, RUNNING, SUCCESS, T0, null)).isFalse();
    tries().start(id, "h", 1, T0);
    moveTo1(id, RUNNING, RESTARTING);
    assertThat(tries().finish(id, RUNNING, FAILED, T0, null)).isFalse();
    assertThat(tries().history(id)).isEmpty();
    assertThat(tries().finish(id, RESTARTING, UP_FOR_RETRY, T0, null)).isTrue();
    assertThat(tries().history(id)).hasSize(1);
  }

  @Test
  void aTryThatOutlivedItsInstanceCannotEndTheNextTry() {
    long id = runWith("d", "r", 0, task("a", 1, "p", 1)).get(0);
    moveTo(List.of(id), SCHEDULED, QUEUED);
    tries().start(id, "old-host", 1, T0);
    int first = ti(id).tryNumber();
    // Declared dead, retried, and running again as the next try on another host.
    assertThat(tries().finishTry(id, first, RUNNING, UP_FOR_RETRY, T0, T0)).isTrue();
    moveTo1(id, UP_FOR_RETRY, SCHEDULED);
    moveTo1(id, SCHEDULED, QUEUED);
    tries().start(id, "new-host", 2, T0.plusSeconds(1));
    assertThat(ti(id).tryNumber()).isEqualTo(first + 1);

    assertThat(tries().finishTry(id, first, RUNNING, SUCCESS, T0.plusSeconds(2), null))
        .as("the old try's ending")
        .isFalse();
    assertThat(ti(id).state()).isEqualTo(RUNNING);
    assertThat(tries().history(id)).hasSize(1);
    assertThat(tries().finishTry(id, first + 1, RUNNING, SUCCESS, T0.plusSeconds(3), null))
        .isTrue();
    assertThat(tries().history(id)).hasSize(2);
  }

  @Test
  void finishStartedAllEndsOnlyTheTriesItWasGivenThatAreStillRunning() {
    List<Long> ids =
        runWith(
            "d",
            "r",
            0,
            task("a", 1, "p", 1),
            task("b", 1, "p", 1),
            task("c", 1, "p", 1),
            task("e", 1, "p", 1));
    moveTo(ids, SCHEDULED);
    queueing().queue(ids, 3L, T0);
    Instant started = T0.plusSeconds(10);
    assertThat(tries().startAll(ids, "h", 9, started)).hasSize(4);
    List<TaskInstanceRow> firstTries = ids.stream().map(this::ti).toList();
    // b: its try outlived the instance (declared dead, retried, running again as try 2)
    long b = ids.get(1);
    assertThat(tries().finishTry(b, 1, RUNNING, UP_FOR_RETRY, started, started)).isTrue();
    moveTo1(b, UP_FOR_RETRY, SCHEDULED);
    moveTo1(b, SCHEDULED, QUEUED);
    tries().start(b, "h", 9, started.plusSeconds(1));
    // c: cleared while it ran
    moveTo1(ids.get(2), RUNNING, RESTARTING);
    // e: a second try, running
    long e = ids.get(3);
    assertThat(tries().finishTry(e, 1, RUNNING, UP_FOR_RETRY, started, started)).isTrue();
    moveTo1(e, UP_FOR_RETRY, SCHEDULED);
    moveTo1(e, SCHEDULED, QUEUED);
    tries().start(e, "h", 9, started.plusSeconds(1));
    TaskInstanceRow eSecond = ti(e);

    Instant ended = started.plusMillis(2500);
    assertThat(
            tries()
                .finishStartedAll(
                    List.of(firstTries.get(0), firstTries.get(1), firstTries.get(2), eSecond),
                    SUCCESS,
                    ended))
        .containsExactlyInAnyOrder(ids.get(0), e);
    assertThat(ti(ids.get(0)).state()).isEqualTo(SUCCESS);
    assertThat(ti(ids.get(0)).duration()).isEqualTo(2.5);
    assertThat(tries().history(ids.get(0)))
        .containsExactly(
            new TaskInstanceTries.Try(ids.get(0), 1, SUCCESS, started, ended, 2.5, "h"));
    assertThat(ti(e).state()).isEqualTo(SUCCESS);
    assertThat(tries().history(e))
        .extracting(TaskInstanceTries.Try::tryNumber)
        .containsExactly(1, 2);
    assertThat(ti(b).state()).as("try 2 runs on").isEqualTo(RUNNING);
    assertThat(tries().history(b)).hasSize(1);
    assertThat(ti(ids.get(2)).state()).as("cleared: left alone").isEqualTo(RESTARTING);
    assertThat(tries().history(ids.get(2))).isEmpty();
    assertThat(tries().finishStartedAll(List.of(), SUCCESS, ended)).isEmpty();
  }

  @Test
  void aHandedBackTryIsUpForRetryAtOnceWithATryGrantedAndItsHistory() {
    long id = runWith("d", "r", 0, task("a", 1, "p", 1)).get(0);
    moveTo(List.of(id), SCHEDULED, QUEUED);
    tries().start(id, "h", 1, T0);
    int maxTries = ti(id).maxTries();
    assertThat(tries().handBack(id, 2, T0.plusSeconds(1))).as("not the running try").isFalse();

    assertThat(tries().handBack(id, 1, T0.plusSeconds(1))).isTrue();

    TaskInstanceRow back = ti(id);
    assertThat(back.state()).isEqualTo(UP_FOR_RETRY);
    assertThat(back.nextRetryAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(back.maxTries()).isEqualTo(maxTries + 1);
    assertThat(tries().history(id))
        .extracting(TaskInstanceTries.Try::state)
        .containsExactly(UP_FOR_RETRY);
    assertThat(tries().handBack(id, 1, T0.plusSeconds(2))).as("no longer running").isFalse();
    assertThat(ti(id).maxTries()).isEqualTo(maxTries + 1);
  }

  @Test
  void finishRefusesWhatIsNotTheEndOfATry() {
    assertThatThrownBy(() -> tries().finish(1, QUEUED, FAILED, T0, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("use setStates");
    assertThatThrownBy(() -> tries().finish(1, RUNNING, TaskInstanceState.DEFERRED, T0, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void countsSlotsPerPoolAndActiveTasks() {
    List<Long> r1 =
        runWith(
            "d",
            "r1",
            0,
            task("a", 1, "p", 2),
            task("b", 1, "p", 1),
            task("c", 1, "q", 3),
            task("e", 1, "p", 5));
    List<Long> r2 = runWith("d", "r2", 1, task("a", 1, "p", 2));
    List<Long> x = runWith("x", "r1", 0, task("a", 1, "q", 1));
    moveTo(List.of(r1.get(0), r1.get(1), r1.get(2), r2.get(0), x.get(0)), SCHEDULED, QUEUED);
    tries().start(r1.get(0), "h", 1, T0);
    tries().start(x.get(0), "h", 1, T0);
    moveTo(List.of(r1.get(3)), SCHEDULED); // scheduled does not count

    Map<String, PoolOccupancy> pools = queueing().poolOccupancy();
    assertThat(pools)
        .containsOnly(
            Map.entry("p", new PoolOccupancy("p", 3, 2, 0)),
            Map.entry("q", new PoolOccupancy("q", 3, 1, 0)));
    assertThat(pools.get("p").occupied(true)).isEqualTo(5);

    ActiveTaskCounts active = queueing().activeCounts();
    assertThat(active.dag("d")).isEqualTo(4);
    assertThat(active.dag("x")).isEqualTo(1);
    assertThat(active.run("d", "r1")).isEqualTo(3);
    assertThat(active.run("d", "r2")).isEqualTo(1);
    assertThat(active.dagTask("d", "a")).isEqualTo(2);
    assertThat(active.dagTask("d", "e")).isZero();
  }

  @Test
  void findsStaleRunningAndStuckQueued() {
    List<Long> ids =
        runWith("d", "r", 0, task("a", 1, "p", 1), task("b", 1, "p", 1), task("c", 1, "p", 1));
    moveTo(ids, SCHEDULED);
    queueing().queue(List.of(ids.get(0), ids.get(1)), 1L, T0);
    queueing().queue(List.of(ids.get(2)), 1L, T0.plusSeconds(100));
    tries().start(ids.get(0), "h", 1, T0.plusSeconds(10));
    tries().heartbeat(List.of(ids.get(0)), T0.plusSeconds(20));

    assertThat(stuck().staleRunning(T0.plusSeconds(21), 10))
        .extracting(TaskInstanceRow::id)
        .containsExactly(ids.get(0));
    assertThat(stuck().staleRunning(T0.plusSeconds(20), 10)).isEmpty();
    assertThat(stuck().stuckQueued(T0.plusSeconds(50), 10))
        .extracting(TaskInstanceRow::id)
        .containsExactly(ids.get(1));
    assertThat(stuck().stuckQueued(T0.plusSeconds(101), 1))
        .extracting(TaskInstanceRow::id)
        .containsExactly(ids.get(1));
  }

  @Test
  void resetsStuckQueuedToScheduledAndClearsToNone() {
    List<Long> ids = runWith("d", "r", 0, task("a", 1, "p", 1), task("b", 1, "p", 1));
    moveTo(ids, SCHEDULED);
    queueing().queue(ids, 9L, T0);
    tries().start(ids.get(1), "h", 1, T0);

    assertThat(stuck().resetToScheduled(ids, T0.plusSeconds(1))).containsExactly(ids.get(0));
    TaskInstanceRow back = ti(ids.get(0));
    assertThat(back.state()).isEqualTo(SCHEDULED);
    assertThat(back.queuedByJobId()).isNull();
    assertThat(back.queuedDttm()).isNull();

    tries().finish(ids.get(1), RUNNING, FAILED, T0.plusSeconds(2), null);
    var cleared =
        tis()
            .resetToNone(
                List.of(
                    new TaskInstanceRepository.Reset(ids.get(1), FAILED, 3),
                    new TaskInstanceRepository.Reset(ids.get(0), SKIPPED, null)),
                T0.plusSeconds(3));
    assertThat(cleared).containsExactly(ids.get(1)); // ids[0] was not skipped
    assertThat(ti(ids.get(1)).state()).isEqualTo(NONE);
    assertThat(ti(ids.get(1)).maxTries()).isEqualTo(3);
    assertThat(ti(ids.get(1)).tryNumber()).isEqualTo(1);
    assertThat(ti(ids.get(0)).maxTries()).isEqualTo(2);
  }

  @Test
  void deletingARunDeletesItsTaskInstancesAndHistory() throws Exception {
    List<Long> ids = runWith("d", "r", 0, task("a", 1, "p", 1));
    moveTo(ids, SCHEDULED, QUEUED);
    tries().start(ids.get(0), "h", 1, T0);
    tries().finish(ids.get(0), RUNNING, SUCCESS, T0, null);
    db.jdbc().update("test", "DELETE FROM dag_run WHERE dag_id = 'd'", Jdbc.Binder.NONE);
    assertThat(tis().get(ids.get(0))).isEmpty();
    assertThat(tries().history(ids.get(0))).isEmpty();
  }
}
