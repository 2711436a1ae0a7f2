package io.updraft.scheduler;

import io.updraft.executor.Executor;
import io.updraft.store.TaskInstanceRow;
import java.util.ArrayList;
import java.util.List;

/**
 * An executor of fixed parallelism that takes work and keeps it, so that tests can count what the
 * scheduler queued and start or finish it themselves.
 */
final class HoldingExecutor implements Executor {
  final List<TaskInstanceRow> held = new ArrayList<>();
  private final int parallelism;

  HoldingExecutor(int parallelism) {
    this.parallelism = parallelism;
  }

  @Override
  public int openSlots() {
    return parallelism - held.size();
  }

  @Override
  public void queue(List<TaskInstanceRow> tis) {
    held.addAll(tis);
  }

  @Override
  public void close() {}

  /** Runs passes of {@code loop} until one does nothing; returns how many it took. */
  static int drain(SchedulerLoop loop) {
    for (int i = 1; i <= 200; i++) {
      if (!loop.runOnce().didWork()) {
        return i;
      }
    }
    throw new AssertionError("the scheduler never settled");
  }
}
