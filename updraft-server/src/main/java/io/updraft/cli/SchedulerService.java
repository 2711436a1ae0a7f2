package io.updraft.cli;

import io.updraft.config.ConfigKey;
import io.updraft.config.UpdraftConfig;
import io.updraft.dagproc.DagProcessor;
import io.updraft.executor.LocalExecutor;
import io.updraft.executor.WorkerTryRunner;
import io.updraft.scheduler.DagVersions;
import io.updraft.scheduler.SchedulerContext;
import io.updraft.scheduler.SchedulerLoop;
import io.updraft.scheduler.Wakeup;
import io.updraft.store.ChangeSignals;
import io.updraft.store.Database;
import io.updraft.store.JobRepository;
import io.updraft.store.JobType;
import io.updraft.store.SerializedDagRepository;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scheduler with its local executor in this JVM, on the configured database, and (unless the DAG
 * processor runs elsewhere) the dags folder synced into the database on start and every few
 * seconds. What {@code updraft standalone} and {@code updraft scheduler} run until stopped; several
 * may run at once against one database (PostgreSQL, MySQL).
 */
final class SchedulerService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SchedulerService.class);

  /**
   * @param migrate migrate the database first (standalone) rather than require it current
   * @param syncDags sync the dags folder into the database in this JVM
   */
  record Mode(String name, boolean migrate, boolean syncDags) {}

  private final Settings settings;
  private final Clock clock;
  private final Mode mode;
  private Database db;
  private LocalExecutor executor;
  private SchedulerLoop loop;
  private Thread scheduler;
  private DagProcessor processor;
  private AutoCloseable signals;
  private JobRepository jobs;
  private long jobId;

  SchedulerService(Settings settings, Clock clock, Mode mode) {
    this.settings = settings;
    this.clock = clock;
    this.mode = mode;
  }

  void start(PrintWriter out) {
    UpdraftConfig config = settings.config();
    // A scheduler alone needs a migrated database: it must not leave an empty one behind.
    db = mode.migrate() ? settings.openDatabase() : settings.openExistingDatabase();
    if (mode.migrate()) {
      db.migrate();
      settings.createFernetKeyFile(out);
    } else {
      db.check();
    }
    processor = mode.syncDags() ? new DagProcessor(db, processorSettings(settings), clock) : null;
    jobs = new JobRepository(db);
    jobId =
        jobs.register(
            JobType.SCHEDULER, hostname(), (int) ProcessHandle.current().pid(), clock.instant());
    Wakeup wakeup = new Wakeup();
    Duration heartbeatTimeout = config.duration(ConfigKey.TASK_INSTANCE_HEARTBEAT_TIMEOUT);
    executor =
        new LocalExecutor(
            db,
            new DagVersions(new SerializedDagRepository(db)),
            WorkerTryRunner.onDatabase(
                db,
                settings.home().resolve("logs"),
                settings.runnerSettings(),
                settings.fernetKeys(),
                clock),
            config.integer(ConfigKey.PARALLELISM),
            clock,
            wakeup,
            LocalExecutor.heartbeatEvery(heartbeatTimeout));
    loop =
        new SchedulerLoop(
            SchedulerContext.create(db, executor, wakeup, clock, jobId),
            Duration.ofSeconds(1),
            new SchedulerLoop.Timeouts(
                heartbeatTimeout,
                config.duration(ConfigKey.SCHEDULER_HEALTH_CHECK_THRESHOLD),
                config.duration(ConfigKey.TASK_QUEUED_TIMEOUT)));
    scheduler = Thread.ofPlatform().name("scheduler").start(loop::run);
    signals = ChangeSignals.listen(db, wakeup::signal);
    DagProcessor.Report first = processor == null ? null : processor.start(wakeup::signal);
    wakeup.signal();
    printBanner(out, config, first);
  }

  static DagProcessor.Settings processorSettings(Settings settings) {
    UpdraftConfig config = settings.config();
    return new DagProcessor.Settings(
        settings.dagsFolder(),
        config.bool(ConfigKey.DAGS_ARE_PAUSED_AT_CREATION),
        config.duration(ConfigKey.DAG_FILE_TIMEOUT),
        config.duration(ConfigKey.DAG_REFRESH_INTERVAL),
        config.integer(ConfigKey.DAG_PARSING_PROCESSES));
  }

  private void printBanner(PrintWriter out, UpdraftConfig config, DagProcessor.Report first) {
    out.println(
        "Updraft "
            + mode.name()
            + " is running (scheduler job "
            + jobId
            + ", local executor"
            + (first != null ? ", DAG processor" : "")
            + ") — Ctrl-C stops it.");
    out.println("  database:  " + db.displayUrl());
    if (first != null) {
      out.println(
          "  dags:      "
              + settings.dagsFolder()
              + " ("
              + (first.written() + first.unchanged())
              + " DAGs in "
              + first.files()
              + " files"
              + (first.filesWithErrors() > 0
                  ? ", "
                      + first.filesWithErrors()
                      + " file(s) with errors: updraft dags list shows them"
                  : "")
              + "; re-read when they change)");
    } else {
      out.println("  dags:      read from the database (a dag-processor reads the folder)");
    }
    out.println("  logs:      " + settings.home().resolve("logs"));
    out.println(
        "  new DAGs start "
            + (config.bool(ConfigKey.DAGS_ARE_PAUSED_AT_CREATION) ? "paused" : "unpaused")
            + "; from another terminal: updraft dags unpause <dag>, updraft dags trigger <dag>,"
            + " updraft dags list-runs <dag>");
    out.flush();
  }

  /** Blocks until the scheduler thread ends (after {@link #close()}). */
  void awaitStop() throws InterruptedException {
    scheduler.join();
  }

  /** Whether the scheduler stopped by itself (another scheduler ended its job), not on request. */
  boolean stoppedItself() {
    return loop != null && loop.stoppedItself();
  }

  @Override
  public void close() {
    if (processor != null) {
      processor.close();
    }
    if (signals != null) {
      try {
        signals.close();
      } catch (Exception e) {
        log.debug("closing the change listener: {}", e.toString());
      }
    }
    if (loop != null) {
      loop.stop();
    }
    if (scheduler != null) {
      try {
        scheduler.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    // The job ends before the executor drains: on H2 the database's own shutdown hook may close
    // it any moment now. A try still queued here can no longer start once another scheduler has
    // rescheduled it (starting is guarded on the queued state), so this is safe.
    if (jobs != null) {
      try {
        jobs.finish(jobId, true, clock.instant());
      } catch (RuntimeException e) {
        log.warn("could not record the scheduler job's end: {}", e.getMessage());
      }
    }
    if (executor != null) {
      executor.close();
    }
    if (db != null) {
      db.close();
    }
  }

  static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
