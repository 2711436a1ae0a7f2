package io.updraft.scheduler;

import io.updraft.dag.Task;
import io.updraft.rules.Retries;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.TaskInstanceRow;
import java.time.Instant;

/**
 * What a failed try becomes — {@code up_for_retry} with its retry time while tries are left, else
 * {@code failed} — in one place for every way a try can fail: the worker's own report, a heartbeat
 * timeout, a worker that died, a try killed because its instance was cleared.
 */
public final class FailedTries {
  /** The state a failed try ends in, and when it may run again (null when failed). */
  public record Ending(TaskInstanceState state, Instant nextRetryAt) {}

  private FailedTries() {}

  /**
   * A try of an instance cleared while it ran (restarting) always ends in up_for_retry, to run
   * again at once: the clear asked for a new try now, so neither the retries left nor the retry
   * delay apply (decisions/0041).
   *
   * @param ti the instance, its {@code try_number} the try that failed (1-based), its state the one
   *     the try ends from: running, or restarting
   * @param logicalDate its run's logical date (part of Airflow's backoff spread); may be null
   */
  public static Ending of(Task task, TaskInstanceRow ti, Instant end, Instant logicalDate) {
    if (ti.state() == TaskInstanceState.RESTARTING) {
      return new Ending(TaskInstanceState.UP_FOR_RETRY, end);
    }
    if (Retries.eligibleForRetry(ti.maxTries(), ti.tryNumber())) {
      return new Ending(
          TaskInstanceState.UP_FOR_RETRY,
          Retries.nextRetryAt(task, end, ti.tryNumber(), ti.dagId(), logicalDate));
    }
    return new Ending(TaskInstanceState.FAILED, null);
  }
}
