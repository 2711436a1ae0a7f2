package io.updraft.rules;

import io.updraft.state.TaskInstanceState;
import java.util.Collection;

/**
 * A summary of the states of a task's <em>direct</em> upstream task instances in one DAG run: what
 * a trigger rule looks at (Airflow's {@code _UpstreamTIStates}).
 *
 * @param total the number of direct upstream tasks
 * @param success, skipped, failed, upstreamFailed, removed how many are in each finished state
 */
public record UpstreamStates(
    int success, int skipped, int failed, int upstreamFailed, int removed, int total) {

  public UpstreamStates {
    if (success < 0 || skipped < 0 || failed < 0 || upstreamFailed < 0 || removed < 0) {
      throw new IllegalArgumentException("Upstream state counts must not be negative");
    }
    if (success + skipped + failed + upstreamFailed + removed > total) {
      throw new IllegalArgumentException(
          "More finished upstream tasks than upstream tasks (total " + total + ")");
    }
  }

  /** The summary of these upstream states (one element per direct upstream task). */
  public static UpstreamStates of(Collection<TaskInstanceState> states) {
    int success = 0;
    int skipped = 0;
    int failed = 0;
    int upstreamFailed = 0;
    int removed = 0;
    for (TaskInstanceState s : states) {
      switch (s) {
        case SUCCESS -> success++;
        case SKIPPED -> skipped++;
        case FAILED -> failed++;
        case UPSTREAM_FAILED -> upstreamFailed++;
        case REMOVED -> removed++;
        default -> {} // unfinished: counts in total only
      }
    }
    return new UpstreamStates(success, skipped, failed, upstreamFailed, removed, states.size());
  }

  /** How many are in a finished state (success, skipped, failed, upstream_failed, removed). */
  public int done() {
    return success + skipped + failed + upstreamFailed + removed;
  }

  /** True when every upstream task instance is in a finished state. */
  public boolean allDone() {
    return done() >= total;
  }

  @Override
  public String toString() {
    return "upstream{total="
        + total
        + ", done="
        + done()
        + ", success="
        + success
        + ", skipped="
        + skipped
        + ", failed="
        + failed
        + ", upstream_failed="
        + upstreamFailed
        + ", removed="
        + removed
        + "}";
  }
}
