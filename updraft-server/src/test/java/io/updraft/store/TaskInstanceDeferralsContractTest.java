package io.updraft.store;

import static io.updraft.state.TaskInstanceState.DEFERRED;
import static io.updraft.state.TaskInstanceState.NONE;
import static io.updraft.state.TaskInstanceState.QUEUED;
import static io.updraft.state.TaskInstanceState.RUNNING;
import static io.updraft.state.TaskInstanceState.SCHEDULED;
import static io.updraft.state.TaskInstanceState.SKIPPED;
import static io.updraft.state.TaskInstanceState.SUCCESS;
import static io.updraft.state.TaskInstanceState.UP_FOR_RESCHEDULE;
import static io.updraft.state.TaskInstanceState.UP_FOR_RETRY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.updraft.state.DagRunState;
import io.updraft.state.TaskInstanceState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Deferral and rescheduling on every database: {@link TaskInstanceDeferrals} and the {@code
 * deferred_trigger} claims of {@link TriggerRepository}.
 */
abstract class TaskInstanceDeferralsContractTest extends RepositoryContractTest {
  static final long TRIGGERER_A = 101;
  static final long TRIGGERER_B = 102;

  TaskInstanceRepository tis() {
    return new TaskInstanceRepository(db);
  }

  TaskInstanceDeferrals deferrals() {
    return new TaskInstanceDeferrals(db);
  }

  TriggerRepository triggers() {
    return new TriggerRepository(db);
  }

  TaskInstanceTries tries() {
    return new TaskInstanceTries(db);
  }

  /** {@code n} scheduled sensor instances of one running run; their ids in order. */
  List<Long> scheduledSensors(int n) {
    run("d", "r", DagRunState.RUNNING, 0);
    List<NewTaskInstance> tasks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      tasks.add(new NewTaskInstance("s" + i, -1, 1, "default_pool", 1, "default", "sensor", 1));
    }
    tis().createForRun("d", "r", tasks, T0);
    List<Long> ids = tis().listForRun("d", "r").stream().map(TaskInstanceRow::id).toList();
    tis().setStates(ids.stream().map(id -> new StateChange(id, NONE, SCHEDULED)).toList(), T0);
    return ids;
  }

  TaskInstanceRow ti(long id) {
    return tis().get(id).orElseThrow();
  }

  long deferOne(long id, Instant at) {
    assertThat(deferrals().deferScheduled(id, "sensor", "{}", null, at)).isTrue();
    return deferrals().forTrigger(triggerOf(id)).orElseThrow().triggerId();
  }

  /** The trigger of a deferred instance, read back through its only trigger row. */
  long triggerOf(long tiId) {
    for (long held : allTriggerIds()) {
      var d = deferrals().forTrigger(held);
      if (d.isPresent() && d.get().id() == tiId) {
        return held;
      }
    }
    throw new AssertionError("task instance " + tiId + " has no trigger");
  }

  Set<Long> allTriggerIds() {
    // Unclaimed and claimed alike: claim everything for a throwaway holder, then let it go.
    Set<Long> ids = new HashSet<>();
    triggers().claim(999, List.of(), 1_000, T0).forEach(t -> ids.add(t.id()));
    ids.addAll(triggers().heldBy(999));
    ids.addAll(triggers().heldBy(TRIGGERER_A));
    ids.addAll(triggers().heldBy(TRIGGERER_B));
    triggers().release(999);
    return ids;
  }

  @Test
  void deferScheduledStartsATryWithATriggerAndTakesNoSlot() {
    long id = scheduledSensors(1).get(0);
    Instant at = T0.plusSeconds(5);

    assertThat(deferrals().deferScheduled(id, "sensor", "{}", null, at)).isTrue();

    TaskInstanceRow row = ti(id);
    assertThat(row.state()).isEqualTo(DEFERRED);
    assertThat(row.tryNumber()).isEqualTo(1);
    assertThat(row.startDate()).isEqualTo(at);
    assertThat(row.endDate()).isNull();
    List<TriggerRow> claimed = triggers().claim(TRIGGERER_A, List.of(), 10, at);
    assertThat(claimed).hasSize(1);
    TriggerRow t = claimed.get(0);
    assertThat(t.kind()).isEqualTo("sensor");
    assertThat(t.kwargs()).isEqualTo("{}");
    assertThat(t.createdDate()).isEqualTo(at);
    assertThat(t.triggererId()).isEqualTo(TRIGGERER_A);
    assertThat(triggers().get(t.id())).contains(t);
    TaskInstanceDeferrals.Deferred d = deferrals().forTrigger(t.id()).orElseThrow();
    assertThat(d)
        .isEqualTo(new TaskInstanceDeferrals.Deferred(id, "d", "r", "s0", -1, 1, t.id(), at, null));
    // Not in the critical section's counts: the pool and the queue know nothing of it.
    assertThat(db.inTransaction(() -> new TaskInstanceQueueing(db).scheduledForQueueing(10)))
        .isEmpty();
  }

  @Test
  void deferScheduledOfAnInstanceNoLongerScheduledWritesNothing() {
    long id = scheduledSensors(1).get(0);
    tis().setStates(List.of(new StateChange(id, SCHEDULED, QUEUED)), T0);

    assertThat(deferrals().deferScheduled(id, "sensor", "{}", null, T0)).isFalse();

    assertThat(ti(id).state()).isEqualTo(QUEUED);
    assertThat(ti(id).tryNumber()).isZero();
    assertThat(triggers().count()).isZero();
  }

  @Test
  void deferRunningKeepsTheTryAndItsTimeout() {
    long id = scheduledSensors(1).get(0);
    tis().setStates(List.of(new StateChange(id, SCHEDULED, QUEUED)), T0);
    assertThat(tries().start(id, "h", 1, T0)).isTrue();
    Instant timeout = T0.plusSeconds(3600);

    assertThat(deferrals().deferRunning(id, 2, "spec", "{\"a\":1}", timeout, T0)).isFalse();
    assertThat(triggers().count()).as("a refused deferral leaves no trigger").isZero();
    assertThat(deferrals().deferRunning(id, 1, "spec", "{\"a\":1}", timeout, T0)).isTrue();

    TaskInstanceRow row = ti(id);
    assertThat(row.state()).isEqualTo(DEFERRED);
    assertThat(row.tryNumber()).isEqualTo(1);
    TriggerRow t = triggers().claim(TRIGGERER_A, List.of(), 10, T0).get(0);
    assertThat(t.kwargs()).isEqualTo("{\"a\":1}");
    assertThat(deferrals().forTrigger(t.id()).orElseThrow().timeoutAt()).isEqualTo(timeout);
  }

  @Test
  void startTimeoutSetsItOnce() {
    long id = scheduledSensors(1).get(0);
    long trigger = deferOne(id, T0);

    assertThat(deferrals().startTimeout(id, trigger + 1, T0.plusSeconds(60))).isFalse();
    assertThat(deferrals().startTimeout(id, trigger, T0.plusSeconds(60))).isTrue();
    assertThat(deferrals().startTimeout(id, trigger, T0.plusSeconds(99))).isFalse();

    assertThat(deferrals().forTrigger(trigger).orElseThrow().timeoutAt())
        .isEqualTo(T0.plusSeconds(60));
  }

  @Test
  void claimsOldestFirstUpToMaxAndNeverTwice() {
    List<Long> ids = scheduledSensors(5);
    for (long id : ids) {
      deferrals().deferScheduled(id, "sensor", "{}", null, T0);
    }

    List<TriggerRow> first = triggers().claim(TRIGGERER_A, List.of(TRIGGERER_B), 3, T0);
    List<TriggerRow> second = triggers().claim(TRIGGERER_B, List.of(TRIGGERER_A), 3, T0);
    List<TriggerRow> again = triggers().claim(TRIGGERER_A, List.of(TRIGGERER_B), 3, T0);

    assertThat(first).hasSize(3);
    assertThat(first.get(0).id()).isLessThan(first.get(1).id());
    assertThat(second).hasSize(2);
    assertThat(again).isEmpty();
    assertThat(triggers().heldBy(TRIGGERER_A))
        .containsExactlyElementsOf(first.stream().map(TriggerRow::id).toList());
    assertThat(triggers().heldBy(TRIGGERER_B))
        .containsExactlyElementsOf(second.stream().map(TriggerRow::id).toList());
    assertThat(triggers().count()).isEqualTo(5);
  }

  @Test
  void aDeadTriggerersTriggersAreTakenOverAndAReleasedOnesAreFree() {
    List<Long> ids = scheduledSensors(4);
    for (long id : ids) {
      deferrals().deferScheduled(id, "sensor", "{}", null, T0);
    }
    assertThat(triggers().claim(TRIGGERER_A, List.of(), 2, T0)).hasSize(2);
    assertThat(triggers().claim(TRIGGERER_B, List.of(TRIGGERER_A), 10, T0)).hasSize(2);

    // A is alive in B's eyes: B takes nothing of A's.
    assertThat(triggers().claim(TRIGGERER_B, List.of(TRIGGERER_A), 10, T0)).isEmpty();
    // A died (not in the live list): B takes its triggers over.
    List<TriggerRow> takenOver = triggers().claim(TRIGGERER_B, List.of(), 10, T0);
    assertThat(takenOver).hasSize(2).allMatch(t -> t.triggererId() == TRIGGERER_B);
    assertThat(triggers().heldBy(TRIGGERER_A)).isEmpty();
    assertThat(triggers().heldBy(TRIGGERER_B)).hasSize(4);

    assertThat(triggers().release(TRIGGERER_B)).isEqualTo(4);
    assertThat(triggers().heldBy(TRIGGERER_B)).isEmpty();
    assertThat(triggers().claim(TRIGGERER_A, List.of(TRIGGERER_B), 10, T0)).hasSize(4);
  }

  @Test
  void twoTriggerersClaimingAtOnceNeverGetTheSameTrigger() throws Exception {
    int n = 200;
    List<Long> ids = scheduledSensors(n);
    for (long id : ids) {
      deferrals().deferScheduled(id, "sensor", "{}", null, T0);
    }
    ExecutorService pool = Executors.newFixedThreadPool(2);
    CountDownLatch go = new CountDownLatch(1);
    AtomicInteger claimedInAll = new AtomicInteger();
    try {
      List<Future<List<Long>>> claims = new ArrayList<>();
      for (long triggerer : List.of(TRIGGERER_A, TRIGGERER_B)) {
        long other = triggerer == TRIGGERER_A ? TRIGGERER_B : TRIGGERER_A;
        claims.add(
            pool.submit(
                () -> {
                  go.await();
                  List<Long> mine = new ArrayList<>();
                  // An empty claim may only mean the other holds the rest locked right now: go on
                  // until every trigger is taken (bounded, in case of a bug).
                  for (int round = 0; round < 10 * n && claimedInAll.get() < n; round++) {
                    List<TriggerRow> got = triggers().claim(triggerer, List.of(other), 7, T0);
                    got.forEach(t -> mine.add(t.id()));
                    claimedInAll.addAndGet(got.size());
                  }
                  return mine;
                }));
      }
      go.countDown();
      List<Long> a = claims.get(0).get(120, TimeUnit.SECONDS);
      List<Long> b = claims.get(1).get(120, TimeUnit.SECONDS);

      assertThat(new HashSet<>(a)).hasSize(a.size());
      assertThat(new HashSet<>(b)).hasSize(b.size());
      assertThat(Collections.disjoint(a, b)).as("no trigger claimed by both").isTrue();
      assertThat(a.size() + b.size()).isEqualTo(n);
      assertThat(triggers().heldBy(TRIGGERER_A)).containsExactlyInAnyOrderElementsOf(a);
      assertThat(triggers().heldBy(TRIGGERER_B)).containsExactlyInAnyOrderElementsOf(b);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * A claim locks only the rows it takes: another triggerer claiming meanwhile gets the next ones
   * at once, instead of nothing until the first commits.
   */
  @Test
  void aClaimInProgressLeavesTheOtherTriggersToOthers() {
    for (long id : scheduledSensors(6)) {
      deferrals().deferScheduled(id, "sensor", "{}", null, T0);
    }
    db.runInTransaction(
        () -> {
          List<TriggerRow> mine = triggers().claim(TRIGGERER_A, List.of(TRIGGERER_B), 2, T0);
          List<TriggerRow> theirs =
              onOtherThread(() -> triggers().claim(TRIGGERER_B, List.of(TRIGGERER_A), 2, T0));
          assertThat(mine).hasSize(2);
          assertThat(theirs).hasSize(2);
          assertThat(theirs.get(0).id()).isGreaterThan(mine.get(1).id());
        });
  }

  @Test
  void endDeferredFinishesTheTryWithHistoryAndDropsTheTrigger() {
    long id = scheduledSensors(1).get(0);
    long trigger = deferOne(id, T0);
    deferrals().startTimeout(id, trigger, T0.plusSeconds(600));
    Instant end = T0.plusSeconds(90);

    assertThat(deferrals().endDeferred(id, trigger, SUCCESS, null, end)).isTrue();

    TaskInstanceRow row = ti(id);
    assertThat(row.state()).isEqualTo(SUCCESS);
    assertThat(row.endDate()).isEqualTo(end);
    assertThat(row.duration()).isCloseTo(90.0, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(row.tryNumber()).isEqualTo(1);
    assertThat(triggers().get(trigger)).isEmpty();
    assertThat(deferrals().forTrigger(trigger)).isEmpty();
    List<TaskInstanceTries.Try> history = tries().history(id);
    assertThat(history).hasSize(1);
    assertThat(history.get(0).tryNumber()).isEqualTo(1);
    assertThat(history.get(0).state()).isEqualTo(SUCCESS);
    assertThat(history.get(0).startDate()).isEqualTo(T0);
    assertThat(history.get(0).endDate()).isEqualTo(end);
    // Ended once: a second end (a triggerer that lost its claim meanwhile) writes nothing.
    assertThat(deferrals().endDeferred(id, trigger, SKIPPED, null, end)).isFalse();
    assertThat(tries().history(id)).hasSize(1);
  }

  @Test
  void endDeferredToRetryIsDueAtItsRetryTimeAndTheNextTryDefersAgain() {
    long id = scheduledSensors(1).get(0);
    long trigger = deferOne(id, T0);
    Instant retryAt = T0.plusSeconds(300);

    assertThat(deferrals().endDeferred(id, trigger, UP_FOR_RETRY, retryAt, T0.plusSeconds(5)))
        .isTrue();
    assertThat(ti(id).state()).isEqualTo(UP_FOR_RETRY);
    assertThat(ti(id).nextRetryAt()).isEqualTo(retryAt);

    tis().setStates(List.of(new StateChange(id, UP_FOR_RETRY, SCHEDULED)), retryAt);
    assertThat(deferrals().deferScheduled(id, "sensor", "{}", null, retryAt)).isTrue();
    assertThat(ti(id).tryNumber()).isEqualTo(2);
    assertThat(ti(id).nextRetryAt()).isNull();
    assertThat(triggers().count()).isEqualTo(1);
  }

  @Test
  void aClearedInstanceLosesItsTriggerAndIsNotEndedAfterwards() {
    long id = scheduledSensors(1).get(0);
    long trigger = deferOne(id, T0);

    assertThat(tis().resetToNone(List.of(new TaskInstanceRepository.Reset(id, DEFERRED, 2)), T0))
        .containsExactly(id);

    assertThat(triggers().get(trigger)).isEmpty();
    assertThat(ti(id).state()).isEqualTo(NONE);
    assertThat(deferrals().forTrigger(trigger)).isEmpty();
    assertThat(deferrals().endDeferred(id, trigger, SUCCESS, null, T0)).isFalse();
    assertThat(ti(id).state()).isEqualTo(NONE);
    assertThat(tries().history(id)).isEmpty();
  }

  @Test
  void aMarkedOrTimedOutDeferredInstanceLosesItsTrigger() {
    List<Long> ids = scheduledSensors(2);
    long marked = deferOne(ids.get(0), T0);
    long kept = deferOne(ids.get(1), T0);

    assertThat(tis().setStates(List.of(new StateChange(ids.get(0), DEFERRED, SKIPPED)), T0))
        .containsExactly(ids.get(0));

    assertThat(triggers().get(marked)).isEmpty();
    assertThat(triggers().get(kept)).isPresent();
    assertThat(deferrals().endDeferred(ids.get(0), marked, SUCCESS, null, T0)).isFalse();
    assertThat(ti(ids.get(0)).state()).isEqualTo(SKIPPED);
  }

  @Test
  void triggersOfDeletedRunsAreDeletedAsUnused() {
    List<Long> ids = scheduledSensors(2);
    long kept = deferOne(ids.get(0), T0);
    long orphan = deferOne(ids.get(1), T0);
    // The second instance goes away with its trigger left behind, as a deleted run would leave it.
    db.jdbc()
        .update(
            "detaching",
            "UPDATE task_instance SET trigger_id = NULL WHERE id = ?",
            ps -> ps.setLong(1, ids.get(1)));

    assertThat(triggers().deleteUnused()).isEqualTo(1);

    assertThat(triggers().get(orphan)).isEmpty();
    assertThat(triggers().get(kept)).isPresent();
    assertThat(triggers().deleteUnused()).isZero();
  }

  @Test
  void rescheduleKeepsTheTryNumberAndFirstCheckIsTheFirstChecksStart() {
    long id = scheduledSensors(1).get(0);
    Instant check1 = T0;
    Instant check2 = T0.plusSeconds(60);
    Instant check3 = T0.plusSeconds(120);
    startTry(id, SCHEDULED, check1);
    assertThat(ti(id).tryNumber()).isEqualTo(1);
    assertThat(deferrals().firstCheck(id, 1)).isEmpty();

    assertThat(deferrals().reschedule(id, 2, check1, check2, check1.plusSeconds(1))).isFalse();
    assertThat(deferrals().reschedule(id, 1, check1, check2, check1.plusSeconds(1))).isTrue();
    TaskInstanceRow waiting = ti(id);
    assertThat(waiting.state()).isEqualTo(UP_FOR_RESCHEDULE);
    assertThat(waiting.nextRetryAt()).isEqualTo(check2);
    assertThat(waiting.endDate()).isEqualTo(check1.plusSeconds(1));

    startTry(id, UP_FOR_RESCHEDULE, check2);
    assertThat(ti(id).tryNumber()).as("a check after a reschedule is the same try").isEqualTo(1);
    assertThat(deferrals().reschedule(id, 1, check2, check3, check2.plusSeconds(1))).isTrue();
    startTry(id, UP_FOR_RESCHEDULE, check3);
    assertThat(ti(id).tryNumber()).isEqualTo(1);

    assertThat(deferrals().firstCheck(id, 1)).contains(check1);
    assertThat(deferrals().firstCheck(id, 2)).isEmpty();
    assertThat(tries().history(id)).as("a reschedule is not the end of a try").isEmpty();

    // A failure with a retry left: the retry is a new try, with no first check yet.
    assertThat(tries().finish(id, RUNNING, UP_FOR_RETRY, check3, check3.plusSeconds(5))).isTrue();
    startTry(id, UP_FOR_RETRY, check3.plusSeconds(5));
    assertThat(ti(id).tryNumber()).isEqualTo(2);
    assertThat(deferrals().firstCheck(id, 2)).isEmpty();
  }

  @Test
  void aClearedRescheduledInstanceStartsANewTry() {
    long id = scheduledSensors(1).get(0);
    startTry(id, SCHEDULED, T0);
    deferrals().reschedule(id, 1, T0, T0.plusSeconds(60), T0.plusSeconds(1));

    tis()
        .resetToNone(
            List.of(new TaskInstanceRepository.Reset(id, UP_FOR_RESCHEDULE, 3)), T0.plusSeconds(2));
    tis().setStates(List.of(new StateChange(id, NONE, SCHEDULED)), T0.plusSeconds(2));
    startTry(id, SCHEDULED, T0.plusSeconds(3));

    assertThat(ti(id).tryNumber()).isEqualTo(2);
  }

  @Test
  void deferralsRefuseChangesTheTableDoesNotAllow() {
    long id = scheduledSensors(1).get(0);
    long trigger = deferOne(id, T0);
    assertThatThrownBy(() -> deferrals().endDeferred(id, trigger, SCHEDULED, null, T0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not -> scheduled");
    assertThatThrownBy(
            () -> deferrals().endDeferred(id, trigger, TaskInstanceState.UPSTREAM_FAILED, null, T0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(ti(id).state()).isEqualTo(DEFERRED);
  }

  /** To running through queued, with a worker's start ({@code from} the state it waits in). */
  private void startTry(long id, TaskInstanceState from, Instant at) {
    if (from != SCHEDULED) {
      tis().setStates(List.of(new StateChange(id, from, SCHEDULED)), at);
    }
    tis().setStates(List.of(new StateChange(id, SCHEDULED, QUEUED)), at);
    assertThat(tries().start(id, "h", 1, at)).isTrue();
  }
}
