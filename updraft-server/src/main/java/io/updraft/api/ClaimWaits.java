package io.updraft.api;

import io.updraft.store.ChangeSignals;
import io.updraft.store.Database;
import io.updraft.store.Dialect;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a worker's long-poll claim waits for queued work (decisions/0148). On PostgreSQL a
 * scheduler's {@code NOTIFY} on the queued channel wakes every waiting claim at once, and a claim
 * re-reads at most every {@link #SAFETY_NET} in case a signal was lost; on H2 and MySQL, which have
 * no notifications, a waiting claim re-reads every {@link #SHORT_POLL}.
 */
final class ClaimWaits implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClaimWaits.class);
  static final Duration SHORT_POLL = Duration.ofMillis(100);
  static final Duration SAFETY_NET = Duration.ofSeconds(5);

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Duration poll;
  private final AutoCloseable listener;
  private long generation;

  ClaimWaits(Database db) {
    boolean notified = db.dialect() instanceof Dialect.Postgres;
    this.poll = notified ? SAFETY_NET : SHORT_POLL;
    this.listener = ChangeSignals.listenQueued(db, this::signal);
  }

  /** Wakes every waiting claim. */
  void signal() {
    lock.lock();
    try {
      generation++;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The current generation: read before a claim's query, passed to {@link #await}. */
  long generation() {
    lock.lock();
    try {
      return generation;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until a signal newer than {@code seen} arrives, the poll interval passes, or {@code
   * atMost} does, whichever is first.
   */
  void await(long seen, Duration atMost) throws InterruptedException {
    long nanos = Math.min(atMost.toNanos(), poll.toNanos());
    lock.lock();
    try {
      while (generation == seen && nanos > 0) {
        nanos = changed.awaitNanos(nanos);
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    try {
      listener.close();
    } catch (Exception e) {
      log.debug("closing the queued-task listener: {}", e.toString());
    }
    signal();
  }
}
