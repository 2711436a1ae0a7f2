package io.updraft.scheduler;

import io.updraft.state.DagRunState;
import java.time.Instant;
import java.util.List;

/**
 * What examining one running DagRun decided.
 *
 * @param changes the task-instance state changes, in the order they were decided
 * @param runState the run's new state, or null when it keeps running
 * @param reason why the run ends (or null)
 * @param nextCheckAt the earliest moment something time-based becomes due (a retry delay ends, the
 *     run times out) — the scheduler need not look at this run again before then unless an event
 *     arrives; null when nothing is time-based
 */
public record RunDecision(
    List<TaskDecision> changes, DagRunState runState, String reason, Instant nextCheckAt) {
  public RunDecision {
    changes = List.copyOf(changes);
  }
}
