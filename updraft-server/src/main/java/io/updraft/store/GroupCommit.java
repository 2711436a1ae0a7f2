package io.updraft.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: units of work that arrive while a commit is being written share the next
 * transaction and its one commit (decisions/0160). On H2 with {@code WRITE_DELAY=0} every commit
 * writes a chunk of the file under the store's lock (~1 ms of CPU), on PostgreSQL it is a WAL
 * flush; many small concurrent transactions (tries starting and ending, API triggers) are bounded
 * by their number of commits, not by their rows.
 *
 * <p>Leader and followers, no thread of its own: a caller queues its unit; the first that finds a
 * lane free (fewer than {@code lanes} groups in progress) becomes a leader, takes every queued unit
 * (at most {@link #MAX_UNITS}), runs them in one transaction on its own thread — each behind a
 * savepoint, so a unit that throws undoes only its own writes and its exception goes to its own
 * caller (a group of one needs none: its transaction is its own, decisions/0178) — commits once,
 * and wakes the followers. Units that arrive while every lane is busy wait for a commit; then one
 * of them leads the next group. H2 has one lane (its commits take the store's lock one at a time);
 * a server database has several, so concurrent units also use its cores and connections side by
 * side and it groups their WAL flushes itself (decisions/0182). A caller returns only once its unit
 * is committed (or failed), so its own units keep their order and are as durable as with {@link
 * Jdbc#inTransaction}.
 *
 * <p>If the group's transaction fails as a whole (the commit fails, or a savepoint cannot be rolled
 * back), nothing of it is kept and each caller runs its unit again, alone, in a transaction of its
 * own on its own thread, as it would have without grouping: one unit's failure never loses another
 * unit's write. (A commit that reached the database but whose acknowledgement was lost would then
 * run its units twice; their guards — a taken run_id, a try no longer queued — turn the second run
 * into a failure or a no-op, as a caller's own retry would.)
 *
 * <p>A unit therefore runs on another caller's thread and may run twice: its only effects must be
 * database writes through this database's repositories (the transaction's connection is the only
 * thread-local it may rely on), and whatever it needs from its caller (who, when) it captures.
 */
final class GroupCommit {
  /** The most units one transaction carries: bounds its row locks and how long it holds them. */
  static final int MAX_UNITS = 64;

  private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

  private final Jdbc jdbc;
  private final int lanes;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition committed = lock.newCondition();
  private List<Unit<?>> queued = new ArrayList<>();
  private int leading;
  private long transactions;
  private long units;

  /**
   * @param lanes how many groups may be committed at once, each on a connection of its own
   */
  GroupCommit(Jdbc jdbc, int lanes) {
    if (lanes < 1) {
      throw new IllegalArgumentException("a group commit needs at least one lane, not " + lanes);
    }
    this.jdbc = jdbc;
    this.lanes = lanes;
  }

  /**
   * Runs {@code work} in a transaction shared with the units of other threads that arrive meanwhile
   * and returns its result once committed; throws what it threw (nothing of it is then committed).
   * Inside a transaction of this thread it simply runs as part of it.
   *
   * @param what what the unit does, for error messages
   */
  <T> T run(String what, Supplier<T> work) {
    if (jdbc.inTransaction()) {
      return work.get();
    }
    Unit<T> unit = new Unit<>(what, work);
    boolean interrupted = false;
    lock.lock();
    try {
      queued.add(unit);
      while (unit.outcome == Outcome.PENDING) {
        if (!unit.taken && leading < lanes) {
          lead();
        } else {
          // A unit's caller returns only after its commit, as with inTransaction: an interrupt
          // while waiting is kept for the caller, not acted on.
          committed.awaitUninterruptibly();
        }
      }
      interrupted = Thread.interrupted();
    } finally {
      lock.unlock();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (unit.outcome == Outcome.ALONE) {
      return jdbc.inTransaction(work);
    }
    return unit.result();
  }

  /** How many group transactions were committed or tried, and how many units they carried. */
  long[] counts() {
    lock.lock();
    try {
      return new long[] {transactions, units};
    } finally {
      lock.unlock();
    }
  }

  int lanes() {
    return lanes;
  }

  /** How many units are queued for the next group (tests wait on it). */
  int queued() {
    lock.lock();
    try {
      return queued.size();
    } finally {
      lock.unlock();
    }
  }

  /** With the lock held: runs the queued units as one group, the lock released meanwhile. */
  private void lead() {
    List<Unit<?>> group;
    if (queued.size() <= MAX_UNITS) {
      group = queued;
      queued = new ArrayList<>();
    } else {
      group = new ArrayList<>(queued.subList(0, MAX_UNITS));
      queued = new ArrayList<>(queued.subList(MAX_UNITS, queued.size()));
    }
    group.forEach(u -> u.taken = true);
    leading++;
    transactions++;
    units += group.size();
    lock.unlock();
    try {
      commit(group);
    } finally {
      lock.lock();
      leading--;
      committed.signalAll();
    }
  }

  /**
   * One transaction for the whole group. The leader's interrupt flag is set aside meanwhile: an
   * interrupt aimed at the leader's own work must not fail the file writes of the others' commit.
   */
  private void commit(List<Unit<?>> group) {
    boolean interrupted = Thread.interrupted();
    try {
      if (group.size() == 1) {
        commitAlone(group.get(0));
        return;
      }
      jdbc.runInTransaction(
          () -> {
            for (Unit<?> unit : group) {
              unit.runBehindSavepoint(jdbc);
            }
          });
      for (Unit<?> unit : group) {
        unit.settle();
      }
    } catch (RuntimeException | Error e) {
      LOG.warn(
          "A group commit of {} units failed, each runs again alone: {}",
          group.size(),
          e.toString());
      // Nothing of the group is kept: every unit runs again alone, on its caller's thread (one that
      // failed on its own fails again there; a write it undid is not a write lost).
      for (Unit<?> unit : group) {
        unit.retryAlone();
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * A group of one needs no savepoint (two round trips on PostgreSQL): its transaction is its own.
   * A failure of its work rolls the transaction back and is its caller's, as behind a savepoint; a
   * failure of the commit after the work succeeded runs it again alone, as for a larger group.
   */
  private void commitAlone(Unit<?> unit) {
    try {
      jdbc.runInTransaction(unit::runRecordingFailure);
      unit.settle();
    } catch (RuntimeException | Error e) {
      if (unit.failure != null) {
        unit.settle();
      } else {
        LOG.warn("A group commit of 1 unit failed, it runs again alone: {}", e.toString());
        unit.retryAlone();
      }
    }
  }

  private enum Outcome {
    PENDING,
    DONE,
    FAILED,
    ALONE
  }

  /**
   * A caller's unit; its fields are written by the leader and read by the caller under the lock.
   */
  private static final class Unit<T> {
    private final String what;
    private final Supplier<T> work;
    private Outcome outcome = Outcome.PENDING;

    /** Taken into a group by its leader: no longer queued, it never leads. */
    private boolean taken;

    private T value;
    private Throwable failure;

    Unit(String what, Supplier<T> work) {
      this.what = what;
      this.work = work;
    }

    /**
     * Runs the work behind a savepoint: a failure undoes only its writes and is kept for the
     * caller. A savepoint that cannot be set or rolled back leaves the transaction in an unknown
     * state: the whole group is then given up (the {@link SQLException} goes on).
     */
    void runBehindSavepoint(Jdbc jdbc) {
      Connection c = jdbc.connection();
      try {
        Savepoint savepoint = c.setSavepoint();
        try {
          value = work.get();
        } catch (RuntimeException | Error e) {
          failure = e;
          c.rollback(savepoint);
          return;
        }
        c.releaseSavepoint(savepoint);
      } catch (SQLException e) {
        throw jdbc.failed(what + " in a group commit: a savepoint", e);
      }
    }

    /**
     * Runs the work in the current transaction, keeping a failure for the caller (and throwing).
     */
    void runRecordingFailure() {
      try {
        value = work.get();
      } catch (RuntimeException | Error e) {
        failure = e;
        throw e;
      }
    }

    /** The group committed: the unit's result, or its own failure, stands. */
    void settle() {
      outcome = failure == null ? Outcome.DONE : Outcome.FAILED;
    }

    /** The group failed: nothing of it is kept, the unit runs again alone. */
    void retryAlone() {
      outcome = Outcome.ALONE;
      value = null;
      failure = null;
    }

    T result() {
      switch (outcome) {
        case DONE:
          return value;
        case FAILED:
          if (failure instanceof RuntimeException r) {
            throw r;
          }
          throw (Error) failure;
        default:
          throw new IllegalStateException(what + ": unit not run, " + outcome);
      }
    }
  }
}
