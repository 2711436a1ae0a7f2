package io.updraft.cli;

import io.updraft.config.ConfigKey;
import io.updraft.config.UpdraftConfig;
import io.updraft.dagproc.FolderSync;
import io.updraft.executor.LocalExecutor;
import io.updraft.executor.ShellTryRunner;
import io.updraft.scheduler.DagVersions;
import io.updraft.scheduler.SchedulerContext;
import io.updraft.scheduler.SchedulerLoop;
import io.updraft.scheduler.Wakeup;
import io.updraft.store.Database;
import io.updraft.store.JobRepository;
import io.updraft.store.JobType;
import io.updraft.store.SerializedDagRepository;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything in one JVM on the configured database: the dags folder synced into it (on start and
 * every few seconds), the scheduler loop and the local executor. What {@code updraft standalone}
 * runs until stopped.
 */
final class Standalone implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Standalone.class);
  private static final Duration RESCAN_EVERY = Duration.ofSeconds(5);

  private final Settings settings;
  private final Clock clock;
  private Database db;
  private LocalExecutor executor;
  private SchedulerLoop loop;
  private Thread scheduler;
  private ScheduledExecutorService maintenance;
  private JobRepository jobs;
  private long jobId;

  Standalone(Settings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  void start(PrintWriter out) {
    UpdraftConfig config = settings.config();
    db = settings.openDatabase();
    db.migrate();
    FolderSync sync =
        new FolderSync(
            db, settings.dagsFolder(), config.bool(ConfigKey.DAGS_ARE_PAUSED_AT_CREATION), clock);
    FolderSync.Report first = sync.syncOnce();
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
            new ShellTryRunner(settings.home().resolve("logs")),
            config.integer(ConfigKey.PARALLELISM),
            clock,
            wakeup,
            heartbeatTimeout.dividedBy(10));
    loop =
        new SchedulerLoop(
            SchedulerContext.create(db, executor, wakeup, clock, jobId),
            Duration.ofSeconds(1),
            heartbeatTimeout,
            config.duration(ConfigKey.TASK_QUEUED_TIMEOUT));
    scheduler = Thread.ofPlatform().name("scheduler").start(loop::run);
    maintenance =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("dag-sync").factory());
    maintenance.scheduleWithFixedDelay(
        () -> {
          try {
            if (sync.syncOnce().changedAnything()) {
              wakeup.signal();
            }
            jobs.heartbeat(jobId, clock.instant());
          } catch (RuntimeException e) {
            log.error("syncing the dags folder failed; trying again in {}", RESCAN_EVERY, e);
          }
        },
        RESCAN_EVERY.toMillis(),
        RESCAN_EVERY.toMillis(),
        TimeUnit.MILLISECONDS);
    out.println(
        "Updraft is running (scheduler, local executor, DAG folder sync) — Ctrl-C stops it.");
    out.println("  database:  " + db.displayUrl());
    out.println(
        "  dags:      "
            + settings.dagsFolder()
            + " ("
            + (first.written() + first.unchanged())
            + " DAGs"
            + (first.filesWithErrors() > 0
                ? ", "
                    + first.filesWithErrors()
                    + " file(s) with errors: updraft dags list shows them"
                : "")
            + "; re-read every "
            + RESCAN_EVERY.toSeconds()
            + " s)");
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

  @Override
  public void close() {
    if (maintenance != null) {
      maintenance.shutdownNow();
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
    if (executor != null) {
      executor.close();
    }
    if (jobs != null) {
      try {
        jobs.finish(jobId, true, clock.instant());
      } catch (RuntimeException e) {
        log.warn("could not record the scheduler job's end: {}", e.getMessage());
      }
    }
    if (db != null) {
      db.close();
    }
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
