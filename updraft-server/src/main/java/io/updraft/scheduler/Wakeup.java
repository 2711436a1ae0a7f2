package io.updraft.scheduler;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes the scheduler loop the moment there is something to do (a task finished, a run was
 * triggered), so no polling interval lies between a task's end and its downstream's start. A signal
 * that arrives while the loop is busy is remembered, never lost.
 */
public final class Wakeup {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition signalled = lock.newCondition();
  private boolean pending;

  public void signal() {
    lock.lock();
    try {
      pending = true;
      signalled.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until signalled or the timeout passes; returns at once if a signal is pending. Clears the
   * pending signal.
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
