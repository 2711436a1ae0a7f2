package io.updraft.executor;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local executor's plain successes ({@link TryRecorder#isPlainSuccess}), recorded in batches
 * (decisions/0193): a supervising thread hands its try's success in and waits; the first to find no
 * batch under way leads, takes every success handed in meanwhile (at most {@link #MAX}) and records
 * them with {@link TryRecorder#recordSuccesses}, one transaction with shared statements, while the
 * others wait for it. No thread of its own, no wait for company: a lone success is recorded at
 * once, and successes that end while a batch is being written make up the next.
 */
final class SuccessBatches {
  /** The most successes one batch records. */
  static final int MAX = 64;

  private static final Logger LOG = LoggerFactory.getLogger(SuccessBatches.class);

  private final Function<List<TryRecorder.Success>, Set<Long>> recordAll;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition written = lock.newCondition();
  private List<Pending> queued = new ArrayList<>();
  private boolean leading;

  /**
   * @param recordAll records a batch, returning the ids of the instances whose tries it ended:
   *     {@link TryRecorder#recordSuccesses} at the time it is called
   */
  SuccessBatches(Function<List<TryRecorder.Success>, Set<Long>> recordAll) {
    this.recordAll = recordAll;
  }

  /**
   * Records the success with others handed in meanwhile; returns whether it was recorded. False
   * when its instance was no longer running that try, or when its batch failed (nothing of it was
   * kept): the caller then records it alone, with {@link TryRecorder#record}.
   */
  boolean record(TryRecorder.Success success) {
    Pending pending = new Pending(success);
    boolean interrupted = false;
    lock.lock();
    try {
      queued.add(pending);
      while (pending.recorded == null) {
        if (!leading && !pending.taken) {
          lead();
        } else {
          written.awaitUninterruptibly();
        }
      }
      interrupted = Thread.interrupted();
    } finally {
      lock.unlock();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return pending.recorded;
  }

  /** How many successes wait for the next batch (tests wait on it). */
  int queued() {
    lock.lock();
    try {
      return queued.size();
    } finally {
      lock.unlock();
    }
  }

  /** With the lock held: records the queued successes as one batch, the lock released meanwhile. */
  private void lead() {
    List<Pending> batch;
    if (queued.size() <= MAX) {
      batch = queued;
      queued = new ArrayList<>();
    } else {
      batch = new ArrayList<>(queued.subList(0, MAX));
      queued = new ArrayList<>(queued.subList(MAX, queued.size()));
    }
    batch.forEach(p -> p.taken = true);
    leading = true;
    lock.unlock();
    Set<Long> ended = Set.of();
    try {
      ended = recordAll.apply(batch.stream().map(p -> p.success).toList());
    } catch (RuntimeException e) {
      LOG.warn(
          "Recording {} successful tries together failed, each is recorded alone: {}",
          batch.size(),
          e.toString());
    } finally {
      lock.lock();
      for (Pending p : batch) {
        p.recorded = ended.contains(p.success.ti().id());
      }
      leading = false;
      written.signalAll();
    }
  }

  /** A success handed in; its fields are written and read under the lock. */
  private static final class Pending {
    private final TryRecorder.Success success;
    private boolean taken;
    private Boolean recorded;

    Pending(TryRecorder.Success success) {
      this.success = success;
    }
  }
}
