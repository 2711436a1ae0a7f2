package io.updraft.cli;

import io.updraft.config.ConfigKey;
import io.updraft.config.UpdraftConfig;
import io.updraft.executor.WorkerTryRunner;
import io.updraft.metrics.StatsdExport;
import io.updraft.sensors.Checks;
import io.updraft.sensors.ConditionChecker;
import io.updraft.store.ChangeSignals;
import io.updraft.store.Database;
import io.updraft.store.DatabaseExternalStates;
import io.updraft.triggerer.Triggerer;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A triggerer in this JVM on the configured database, until stopped: what {@code updraft triggerer}
 * runs. Several may run against one database; each claims its triggers with row locks. It is woken
 * by task ends announced by schedulers in other processes (PostgreSQL), and announces the tasks it
 * ends to them. {@link #close} stops it gracefully: checks interrupted, triggers released for the
 * other triggerers, job ended, database closed.
 */
final class TriggererService implements LongRunningService {
  private static final Logger log = LoggerFactory.getLogger(TriggererService.class);

  private final Settings settings;
  private final Clock clock;
  private final Integer capacity;
  private Database db;
  private Triggerer triggerer;
  private Thread thread;
  private AutoCloseable signals;
  private PrintWriter messages = new PrintWriter(System.err, true);
  private boolean closed;
  private volatile boolean stopRequested;

  /**
   * @param capacity {@code --capacity}; null: {@code triggerer.capacity}
   */
  TriggererService(Settings settings, Clock clock, Integer capacity) {
    this.settings = settings;
    this.clock = clock;
    this.capacity = capacity;
  }

  /**
   * A triggerer on {@code db} with the settings' capacity (or {@code capacity}), health threshold,
   * connections, variables and task environment; {@code taskEnded} wakes the schedulers.
   */
  static Triggerer triggerer(
      Database db, Settings settings, Clock clock, Integer capacity, Runnable taskEnded) {
    UpdraftConfig config = settings.config();
    Triggerer.Settings s =
        Triggerer.Settings.defaults()
            .withCapacity(
                capacity != null ? capacity : config.integer(ConfigKey.TRIGGERER_CAPACITY))
            .withHealthThreshold(config.duration(ConfigKey.SCHEDULER_HEALTH_CHECK_THRESHOLD));
    return new Triggerer(
        db,
        WorkerTryRunner.onDatabase(
            db,
            settings.home().resolve("logs"),
            settings.runnerSettings(),
            settings.fernetKeys(),
            clock),
        checker(),
        new DatabaseExternalStates(db),
        settings.runnerSettings().baseEnv(),
        clock,
        s,
        taskEnded);
  }

  /** The condition checks of every kind, one per process (shared JDBC pools and HTTP client). */
  static ConditionChecker checker() {
    return new Checks();
  }

  @Override
  public void start(PrintWriter out, PrintWriter messages) {
    this.messages = messages;
    db = settings.openExistingDatabase();
    db.check();
    StatsdExport.startIfOn(settings.config());
    Runnable announce = ChangeSignals.changes(db);
    triggerer = triggerer(db, settings, clock, capacity, announce);
    long jobId = triggerer.start();
    signals = ChangeSignals.listenTaskEnds(db, triggerer::changed);
    thread = Thread.ofPlatform().name("triggerer").start(triggerer::run);
    if (stopRequested) {
      triggerer.stop();
    }
    out.println(
        "Updraft triggerer is running (triggerer job "
            + jobId
            + ", capacity "
            + (capacity != null
                ? capacity
                : settings.config().integer(ConfigKey.TRIGGERER_CAPACITY))
            + ") — Ctrl-C stops it.");
    out.println("  database:  " + db.displayUrl());
    out.println("  logs:      " + settings.home().resolve("logs"));
    out.flush();
  }

  @Override
  public void awaitStop() throws InterruptedException {
    thread.join();
  }

  @Override
  public void requestStop() {
    stopRequested = true;
    if (triggerer != null) {
      triggerer.stop();
    }
  }

  @Override
  public boolean stoppedItself() {
    return triggerer != null && triggerer.stoppedItself();
  }

  @Override
  public String alreadyStopping() {
    return "Already stopping: releasing the triggers (kill -9 to end now).";
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (signals != null) {
      try {
        signals.close();
      } catch (Exception e) {
        log.debug("closing the task-end listener: {}", e.toString());
      }
    }
    if (triggerer != null) {
      int held = triggerer.held();
      triggerer.stop();
      if (thread != null) {
        try {
          thread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      say("Stopping: releasing " + held + " trigger(s) for the other triggerers…");
      triggerer.close();
    }
    if (db != null) {
      db.close();
    }
    if (triggerer != null) {
      say("Stopped.");
    }
  }

  private void say(String line) {
    messages.println(line);
    messages.flush();
  }
}
