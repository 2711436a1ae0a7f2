package io.updraft.store;

import io.updraft.state.TaskInstanceState;
import java.time.Instant;
import java.util.Optional;

/**
 * Waits without a slot on the {@code task_instance} table (SPEC §1.9): a task instance deferring to
 * the triggerer (with its {@code deferred_trigger} row, in one transaction), the triggerer ending
 * it, and a {@code reschedule} sensor's checks ({@code task_reschedule}). Guarded like every write
 * on the table: a call that finds the instance moved on writes nothing and returns false.
 */
public final class TaskInstanceDeferrals {
  private final Database database;

  public TaskInstanceDeferrals(Database database) {
    this.database = database;
  }

  /**
   * A deferred task instance, as the triggerer needs it.
   *
   * @param timeoutAt the instance's {@code trigger_timeout}; null: none yet (set at the first
   *     check)
   */
  public record Deferred(
      long id,
      String dagId,
      String runId,
      String taskId,
      int mapIndex,
      int tryNumber,
      long triggerId,
      Instant startDate,
      Instant timeoutAt) {}

  /**
   * Scheduled to deferred, starting the next try ({@code try_number + 1}, {@code start_date} now)
   * with a new trigger of {@code kind}: what the scheduler does with a ready {@code defer} sensor.
   * No executor or pool slot is taken.
   */
  public boolean deferScheduled(
      long id, String kind, String kwargsJson, Instant timeoutAt, Instant now) {
    throw new UnsupportedOperationException("written by the store helper");
  }

  /**
   * Running to deferred, the try going on in the triggerer (same try number), with a new trigger:
   * what a try that hands its wait over does.
   */
  public boolean deferRunning(
      long id, int tryNumber, String kind, String kwargsJson, Instant timeoutAt, Instant now) {
    throw new UnsupportedOperationException("written by the store helper");
  }

  /** The deferred task instance that trigger {@code triggerId} belongs to; empty if none is. */
  public Optional<Deferred> forTrigger(long triggerId) {
    throw new UnsupportedOperationException("written by the store helper");
  }

  /** Sets the instance's {@code trigger_timeout} if it has none (at the first check). */
  public boolean startTimeout(long id, long triggerId, Instant timeoutAt) {
    throw new UnsupportedOperationException("written by the store helper");
  }

  /**
   * Ends a deferred try: deferred to {@code to} (success, failed, skipped, or up_for_retry with
   * {@code nextRetryAt}), with its {@code task_instance_history} row, the trigger deleted and the
   * instance's trigger columns cleared, in one transaction. False when the instance is no longer
   * deferred on {@code triggerId}.
   */
  public boolean endDeferred(
      long id, long triggerId, TaskInstanceState to, Instant nextRetryAt, Instant now) {
    throw new UnsupportedOperationException("written by the store helper");
  }

  /**
   * Running to up_for_reschedule until {@code rescheduleAt}, keeping the try number (the next check
   * is the same try), with a {@code task_reschedule} row for this check.
   *
   * @param checkStart when this check's try started
   */
  public boolean reschedule(
      long id, int tryNumber, Instant checkStart, Instant rescheduleAt, Instant now) {
    throw new UnsupportedOperationException("written by the store helper");
  }

  /** When try {@code tryNumber} of the instance made its first check; empty before the first. */
  public Optional<Instant> firstCheck(long id, int tryNumber) {
    throw new UnsupportedOperationException("written by the store helper");
  }
}
