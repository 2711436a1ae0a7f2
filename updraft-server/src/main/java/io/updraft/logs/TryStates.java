package io.updraft.logs;

import io.updraft.state.TaskInstanceState;
import io.updraft.store.TaskInstanceRow;

/**
 * Where one try of a task instance is, as the metadata database says — the one rule the CLI's
 * {@code tasks logs --follow} and the UI's live log tail both stop by.
 */
public final class TryStates {
  private TryStates() {}

  /**
   * Where try {@code n} is, given the instance as read now.
   *
   * @param now the task instance; null when it was deleted
   */
  public static LogFollower.TryState of(TaskInstanceRow now, int n) {
    if (now == null || now.tryNumber() > n) {
      return LogFollower.TryState.ENDED; // deleted, or a later try started
    }
    if (now.tryNumber() == n) {
      return now.state() == TaskInstanceState.RUNNING || now.state() == TaskInstanceState.RESTARTING
          ? LogFollower.TryState.RUNNING
          : LogFollower.TryState.ENDED;
    }
    return now.state().isFinished() ? LogFollower.TryState.ENDED : LogFollower.TryState.WAITING;
  }
}
