package io.updraft.scheduler;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes the scheduler loop the moment there is something to do (a task finished, a run was
 * triggered), so no polling interval lies between a task's end and its downstream's start. A signal
 * that arrives while the loop is busy is remembered, never lost.
 *
 * <p>A signal may name the DagRun that changed ({@link #signalRun}): the executor of this JVM knows
 * which run a try ended in. The next pass then examines those runs first and, while only named
 * changes arrive, leaves the others to their turn (decisions/0136); a signal that names nothing (a
 * change made elsewhere) asks for a pass over every run in turn, as before.
 */
public final class Wakeup {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition signalled = lock.newCondition();
  private boolean pending;
  private Set<Long> changedRuns = new HashSet<>();
  private boolean unnamed;

  /** What changed since the last {@link #takeChanges}. */
  public record Changes(Set<Long> runs, boolean unnamed) {
    /** Only named runs changed: the pass may leave the others to their turn. */
    public boolean onlyNamed() {
      return !unnamed && !runs.isEmpty();
    }
  }

  /** Something changed that the signal does not name (a trigger, a clear, another process). */
  public void signal() {
    lock.lock();
    try {
      pending = true;
      unnamed = true;
      signalled.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The task instances of DagRun {@code dagRunId} (its row id) changed: a try ended. */
  public void signalRun(long dagRunId) {
    lock.lock();
    try {
      pending = true;
      changedRuns.add(dagRunId);
      signalled.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Names a run for the next pass without waking anyone: this pass started it. */
  void noteRun(long dagRunId) {
    lock.lock();
    try {
      changedRuns.add(dagRunId);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until signalled or the timeout passes; returns at once if a signal is pending. Clears the
   * pending signal (not what changed: {@link #takeChanges} takes that).
   *
   * @return whether a signal (rather than the timeout) ended the wait
   */
  public boolean await(Duration timeout) throws InterruptedException {
    lock.lock();
    try {
      long nanos = timeout.toNanos();
      while (!pending && nanos > 0) {
        nanos = signalled.awaitNanos(nanos);
      }
      boolean wasSignalled = pending;
      pending = false;
      return wasSignalled;
    } finally {
      lock.unlock();
    }
  }

  /** What changed since the last call, cleared. */
  Changes takeChanges() {
    lock.lock();
    try {
      Changes c = new Changes(changedRuns, unnamed);
      changedRuns = new HashSet<>();
      unnamed = false;
      return c;
    } finally {
      lock.unlock();
    }
  }

  /** Whether {@link #await} would return at once. */
  boolean pending() {
    lock.lock();
    try {
      return pending;
    } finally {
      lock.unlock();
    }
  }
}
