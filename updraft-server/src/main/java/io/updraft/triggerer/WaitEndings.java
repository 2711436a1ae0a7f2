package io.updraft.triggerer;

import io.updraft.callbacks.CallbackRequests;
import io.updraft.dag.Task;
import io.updraft.scheduler.FailedTries;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.AssetEventRepository;
import io.updraft.store.CallbackRequestRepository;
import io.updraft.store.Database;
import io.updraft.store.TaskInstanceDeferrals;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import java.time.Clock;
import java.time.Instant;

/**
 * Ends deferred tries: the instance leaves {@code deferred} with its history row, its trigger
 * deleted, the task's callbacks and (for a success) its asset events written in one transaction (as
 * the local executor ends a try), then the try's log says why and the scheduler is woken so the
 * downstream starts at once. Guarded: an instance that was cleared or ended meanwhile is left
 * alone.
 */
final class WaitEndings {
  private final Database database;
  private final TaskInstanceDeferrals deferrals;
  private final TaskInstanceRepository taskInstances;
  private final CallbackRequestRepository callbacks;
  private final AssetEventRepository assetEvents;
  private final Clock clock;
  private final Runnable taskEnded;

  /**
   * @param taskEnded wakes the scheduler(s): in-process and across processes
   */
  WaitEndings(Database database, Clock clock, Runnable taskEnded) {
    this.database = database;
    this.deferrals = new TaskInstanceDeferrals(database);
    this.taskInstances = new TaskInstanceRepository(database);
    this.callbacks = new CallbackRequestRepository(database);
    this.assetEvents = new AssetEventRepository(database);
    this.clock = clock;
    this.taskEnded = taskEnded;
  }

  /** Ends the try in {@code to} (success, failed, skipped); false if it was no longer deferred. */
  boolean end(
      TaskInstanceDeferrals.Deferred ti, Task task, WaitLog log, TaskInstanceState to, String why) {
    return end(ti, task, log, to, null, why);
  }

  /**
   * Fails the try as any failed try fails: up_for_retry while the task has retries left (the
   * scheduler defers it again as a new try), else failed.
   */
  boolean fail(
      TaskInstanceDeferrals.Deferred ti, Task task, Instant logicalDate, WaitLog log, String why) {
    TaskInstanceRow row = taskInstances.get(ti.id()).orElse(null);
    if (row == null || row.state() != TaskInstanceState.DEFERRED) {
      return false;
    }
    FailedTries.Ending e = FailedTries.of(task, row, clock.instant(), logicalDate);
    return end(ti, task, log, e.state(), e.nextRetryAt(), why);
  }

  private boolean end(
      TaskInstanceDeferrals.Deferred ti,
      Task task,
      WaitLog log,
      TaskInstanceState to,
      Instant nextRetryAt,
      String why) {
    Instant now = clock.instant();
    boolean ended =
        database.inTransaction(
            () -> {
              if (!deferrals.endDeferred(ti.id(), ti.triggerId(), to, nextRetryAt, now)) {
                return false;
              }
              callbacks.add(
                  CallbackRequests.forTask(
                      ti.dagId(),
                      ti.runId(),
                      task,
                      ti.tryNumber(),
                      TaskInstanceState.DEFERRED,
                      to,
                      to == TaskInstanceState.SUCCESS ? null : why),
                  now);
              if (to == TaskInstanceState.SUCCESS && !task.outlets().isEmpty()) {
                assetEvents.recordForTry(
                    task.outlets(), ti.dagId(), ti.taskId(), ti.runId(), ti.mapIndex(), now);
              }
              return true;
            });
    if (ended) {
      log.note(why + " — the try ends " + to.id());
      taskEnded.run();
    }
    return ended;
  }
}
