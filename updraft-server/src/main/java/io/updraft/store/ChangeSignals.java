package io.updraft.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells schedulers in other processes that something they act on changed — a run triggered, a DAG
 * unpaused, tasks cleared, a new DAG version — so they start a pass at once instead of at their
 * idle timeout. On PostgreSQL this is {@code NOTIFY}/{@code LISTEN} on one channel; on H2 and MySQL
 * there is no such thing and the idle timeout (1 s) bounds the delay. A signal carries nothing: the
 * database is still the only channel for data.
 *
 * <p>Listeners in the announcing process are told directly, on every database: {@code standalone}
 * on H2 runs the API and the scheduler in one JVM, and a run triggered through its API starts
 * within milliseconds rather than at the scheduler's next idle timeout.
 */
public final class ChangeSignals {
  private static final Logger log = LoggerFactory.getLogger(ChangeSignals.class);
  static final String CHANNEL = "updraft_wake";

  /**
   * Task ends, for triggerers only (their {@code external_task} waits): a channel of its own, so a
   * burst of task ends does not wake every scheduler of the installation.
   */
  static final String TASK_ENDS = "updraft_task_end";

  /** Listeners of {@link #CHANNEL} in this JVM, by the database they listen to. */
  private static final Map<Database, List<Runnable>> LOCAL = new ConcurrentHashMap<>();

  /**
   * Task instances queued for remote workers: API servers listening here wake their waiting claims
   * (decisions/0148), without waking every scheduler.
   */
  static final String QUEUED = "updraft_queued";

  private ChangeSignals() {}

  /** Announces a change; never fails the caller (a lost signal costs at most the idle timeout). */
  public static void announce(Database db) {
    tellLocal(db);
    notify(db, CHANNEL);
  }

  /**
   * Announces a change the current transaction makes, for units of a group commit (decisions/0178):
   * on PostgreSQL the {@code NOTIFY} is sent in that transaction, so it goes out with its commit
   * (once, however many units of the group announce: PostgreSQL folds equal notifications of a
   * transaction) and is dropped with a rollback — no transaction and WAL flush of its own, as
   * {@link #announce} costs. The caller tells this JVM's listeners after the commit with {@link
   * #announceCommitted}.
   */
  public static void announceWithin(Database db) {
    if (db.dialect() instanceof Dialect.Postgres) {
      db.jdbc().update("announcing a change", "NOTIFY " + CHANNEL, Jdbc.Binder.NONE);
    }
  }

  /** After the commit of a transaction that {@link #announceWithin announced}: this JVM's turn. */
  public static void announceCommitted(Database db) {
    tellLocal(db);
  }

  private static void tellLocal(Database db) {
    List<Runnable> here = LOCAL.get(db);
    if (here != null) {
      here.forEach(Runnable::run);
    }
  }

  private static void notify(Database db, String channel) {
    if (!(db.dialect() instanceof Dialect.Postgres)) {
      return;
    }
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("NOTIFY " + channel);
    } catch (SQLException e) {
      log.debug("could not announce a change: {}", e.getMessage());
    }
  }

  /**
   * An announcer of task ends for triggerers in other processes, coalesced: a call returns at once,
   * and however many calls come while one {@code NOTIFY} is being sent, at most one more follows
   * it. A no-op where the database has no notifications.
   */
  public static Runnable taskEnds(Database db) {
    return coalesced(db, TASK_ENDS);
  }

  /**
   * An announcer of task instances queued for remote workers, coalesced as {@link #taskEnds} is. A
   * no-op where the database has no notifications (API servers there poll briefly).
   */
  public static Runnable queued(Database db) {
    return coalesced(db, QUEUED);
  }

  /**
   * Calls {@code onSignal} whenever a scheduler announces queued task instances ({@link #queued}).
   * A no-op where the database has no notifications.
   */
  public static AutoCloseable listenQueued(Database db, Runnable onSignal) {
    return listen(db, QUEUED, onSignal);
  }

  /** {@link #announce}, coalesced as {@link #taskEnds} is (a triggerer ending many tasks). */
  public static Runnable changes(Database db) {
    Runnable remote = coalesced(db, CHANNEL);
    return () -> {
      tellLocal(db);
      remote.run();
    };
  }

  private static Runnable coalesced(Database db, String channel) {
    if (!(db.dialect() instanceof Dialect.Postgres)) {
      return () -> {};
    }
    java.util.concurrent.atomic.AtomicInteger state =
        new java.util.concurrent.atomic.AtomicInteger();
    // state: 0 idle, 1 sending, 2 sending and asked again meanwhile.
    Runnable send =
        () -> {
          do {
            notify(db, channel);
          } while (state.getAndUpdate(s -> s == 2 ? 1 : 0) == 2);
        };
    return () -> {
      if (state.getAndUpdate(s -> s == 0 ? 1 : 2) == 0) {
        Thread.ofVirtual().name("notify-" + channel).start(send);
      }
    };
  }

  /**
   * Calls {@code onSignal} whenever another process announces a task end ({@link #taskEnds}), on a
   * thread of its own, until closed. A no-op where the database has no notifications.
   */
  public static AutoCloseable listenTaskEnds(Database db, Runnable onSignal) {
    return listen(db, TASK_ENDS, onSignal);
  }

  /**
   * Calls {@code onSignal} whenever a change is announced, until closed. Where the database has
   * notifications (PostgreSQL) every announcement, this JVM's too, comes as one on a thread of its
   * own; elsewhere only this JVM's reach it, on the announcing thread (it must return at once).
   * Never both: a listener told twice of one change would do its work twice (the UI's live feed).
   */
  public static AutoCloseable listen(Database db, Runnable onSignal) {
    if (db.dialect() instanceof Dialect.Postgres) {
      return listen(db, CHANNEL, onSignal);
    }
    LOCAL.computeIfAbsent(db, k -> new CopyOnWriteArrayList<>()).add(onSignal);
    return () ->
        LOCAL.computeIfPresent(
            db,
            (k, list) -> {
              list.remove(onSignal);
              return list.isEmpty() ? null : list;
            });
  }

  private static AutoCloseable listen(Database db, String channel, Runnable onSignal) {
    if (!(db.dialect() instanceof Dialect.Postgres)) {
      return () -> {};
    }
    Listener l = new Listener(db, channel, onSignal);
    l.thread.start();
    return l;
  }

  private static final class Listener implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(500);
    private final Database db;
    private final String channel;
    private final Runnable onSignal;
    private final Thread thread;
    private volatile boolean closed;

    Listener(Database db, String channel, Runnable onSignal) {
      this.db = db;
      this.channel = channel;
      this.onSignal = onSignal;
      this.thread = Thread.ofPlatform().name("change-signals").daemon().unstarted(this::run);
    }

    private void run() {
      while (!closed) {
        try (Connection c = db.dataSource().getConnection();
            Statement s = c.createStatement()) {
          s.execute("LISTEN " + channel);
          PGConnection pg = c.unwrap(PGConnection.class);
          while (!closed) {
            PGNotification[] got = pg.getNotifications((int) POLL.toMillis());
            if (got != null && got.length > 0) {
              onSignal.run();
            }
          }
        } catch (SQLException | RuntimeException e) {
          if (!closed) {
            log.warn("listening for changes failed ({}); retrying in 1 s", e.getMessage());
            sleep();
          }
        }
      }
    }

    private void sleep() {
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        closed = true;
      }
    }

    @Override
    public void close() {
      closed = true;
      try {
        thread.join(POLL.toMillis() * 4);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
