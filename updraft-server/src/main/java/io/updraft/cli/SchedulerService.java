package io.updraft.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.updraft.api.ApiServer;
import io.updraft.api.StandaloneAdmin;
import io.updraft.api.TaskTokens;
import io.updraft.api.UserAccounts;
import io.updraft.callbacks.CallbackRunner;
import io.updraft.callbacks.Notifiers;
import io.updraft.config.ConfigKey;
import io.updraft.config.UpdraftConfig;
import io.updraft.connections.SecretMasker;
import io.updraft.dagproc.DagProcessor;
import io.updraft.dagproc.DagProcessorJob;
import io.updraft.executor.Executor;
import io.updraft.executor.LocalExecutor;
import io.updraft.executor.RemoteExecutor;
import io.updraft.executor.WorkerTryRunner;
import io.updraft.kubernetes.KubernetesExecutor;
import io.updraft.kubernetes.KubernetesSettings;
import io.updraft.metrics.StatsdExport;
import io.updraft.scheduler.DagVersions;
import io.updraft.scheduler.SchedulerContext;
import io.updraft.scheduler.SchedulerLoop;
import io.updraft.scheduler.Wakeup;
import io.updraft.store.ChangeSignals;
import io.updraft.store.Database;
import io.updraft.store.JobRepository;
import io.updraft.store.JobType;
import io.updraft.store.SerializedDagRepository;
import io.updraft.triggerer.Triggerer;
import io.updraft.util.Hostname;
import io.updraft.worker.Durations;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scheduler with its local executor in this JVM, on the configured database, and (unless the DAG
 * processor runs elsewhere) the dags folder synced into the database on start and every few
 * seconds. What {@code updraft standalone} and {@code updraft scheduler} run until stopped; several
 * may run at once against one database (PostgreSQL, MySQL).
 *
 * <p>{@link #close} stops it gracefully, in this order (decisions/0042): no new work (DAG sync,
 * scheduler loop and executor stop taking any); running tries get SIGTERM and, after {@code
 * scheduler.shutdown_grace}, SIGKILL, and are handed back to run again at once; the scheduler job
 * is ended as success; the database is closed last. It says so on the message stream.
 */
final class SchedulerService implements LongRunningService {
  private static final Logger log = LoggerFactory.getLogger(SchedulerService.class);

  /**
   * @param migrate migrate the database first (standalone) rather than require it current
   * @param syncDags sync the dags folder into the database in this JVM
   * @param triggerer run a triggerer in this JVM (standalone)
   * @param api the API server to run in this JVM (with its first admin user), or null
   */
  record Mode(
      String name, boolean migrate, boolean syncDags, boolean triggerer, ApiServer.Settings api) {
    /** Without an API server. */
    Mode(String name, boolean migrate, boolean syncDags, boolean triggerer) {
      this(name, migrate, syncDags, triggerer, null);
    }
  }

  private final Settings settings;
  private final Clock clock;
  private final Mode mode;
  private Database db;

  /** The local executor; null with {@code core.executor: remote}. */
  private LocalExecutor executor;

  /** The executor the loop queues to: the local one, or a {@link RemoteExecutor}. */
  private Executor queueTo;

  private String executorName = "local";

  /** How {@code core.executor: kubernetes} reaches the cluster (kubeconfig, or in-cluster). */
  private Supplier<KubernetesClient> kubernetesClients =
      () -> new KubernetesClientBuilder().build();

  private KubernetesClient kubernetesClient;
  private SchedulerLoop loop;
  private Thread scheduler;
  private DagProcessor processor;
  private DagProcessorJob processorJob;
  private CallbackRunner callbacks;
  private AutoCloseable signals;
  private Triggerer triggerer;
  private Thread triggererThread;
  private ApiServer apiServer;
  private JobRepository jobs;
  private long jobId;
  private PrintWriter messages = new PrintWriter(System.err, true);
  private Duration shutdownGrace = Duration.ofSeconds(30);
  private boolean closed;
  private volatile boolean stopRequested;

  SchedulerService(Settings settings, Clock clock, Mode mode) {
    this.settings = settings;
    this.clock = clock;
    this.mode = mode;
  }

  /** Reaches the Kubernetes cluster with {@code clients} (a test's mock API server). */
  SchedulerService withKubernetesClients(Supplier<KubernetesClient> clients) {
    this.kubernetesClients = clients;
    return this;
  }

  /** Starts, with the banner and the stop's messages on {@code out}. */
  void start(PrintWriter out) {
    start(out, out);
  }

  /**
   * Starts: the banner goes to {@code out}; what a stop does is said on {@code messages} (stderr).
   */
  @Override
  public void start(PrintWriter out, PrintWriter messages) {
    this.messages = messages;
    UpdraftConfig config = settings.config();
    shutdownGrace = config.duration(ConfigKey.SHUTDOWN_GRACE);
    // Checked before anything is opened or registered: a bad setting is a one-line error.
    KubernetesSettings kubernetes =
        config.executor().equals("kubernetes") ? KubernetesSettings.from(config) : null;
    // A scheduler alone needs a migrated database: it must not leave an empty one behind.
    db = mode.migrate() ? settings.openDatabase() : settings.openExistingDatabase();
    if (mode.migrate()) {
      db.migrate();
      settings.createFernetKeyFile(out);
    } else {
      db.check();
    }
    StatsdExport.startIfOn(config);
    processor = mode.syncDags() ? new DagProcessor(db, processorSettings(settings), clock) : null;
    jobs = new JobRepository(db);
    jobId =
        jobs.register(
            JobType.SCHEDULER,
            Hostname.ofThisMachine(),
            (int) ProcessHandle.current().pid(),
            clock.instant());
    Wakeup wakeup = new Wakeup();
    Duration heartbeatTimeout = config.duration(ConfigKey.TASK_INSTANCE_HEARTBEAT_TIMEOUT);
    executorName = config.executor();
    switch (executorName) {
      case "remote" ->
          queueTo = new RemoteExecutor(db, jobId, config.integer(ConfigKey.PARALLELISM));
      case "kubernetes" -> {
        kubernetesClient = kubernetesClients.get();
        TaskTokens tokens = TaskTokens.of(db, clock);
        // Good while the pod may wait to start, then as long as any try's token: its heartbeats
        // renew it.
        Duration ttl = kubernetes.podStartTimeout().plus(TaskTokens.LIFETIME);
        queueTo =
            new KubernetesExecutor(
                    db,
                    new DagVersions(new SerializedDagRepository(db)),
                    kubernetesClient,
                    kubernetes,
                    (id, tryNumber) -> tokens.issue(id, tryNumber, ttl),
                    config.integer(ConfigKey.PARALLELISM),
                    jobId,
                    config.duration(ConfigKey.SCHEDULER_HEALTH_CHECK_THRESHOLD),
                    settings.home().resolve("logs"),
                    clock,
                    wakeup)
                .start(KubernetesExecutor.sweepEvery(kubernetes));
      }
      default -> {
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
        queueTo = executor;
      }
    }
    loop =
        new SchedulerLoop(
            SchedulerContext.create(db, queueTo, wakeup, clock, jobId),
            Duration.ofSeconds(1),
            new SchedulerLoop.Timeouts(
                heartbeatTimeout,
                config.duration(ConfigKey.SCHEDULER_HEALTH_CHECK_THRESHOLD),
                config.duration(ConfigKey.TASK_QUEUED_TIMEOUT)));
    scheduler = Thread.ofPlatform().name("scheduler").start(loop::run);
    // Task ends reach triggerers: the one in this JVM at once, those elsewhere by a coalesced
    // NOTIFY (PostgreSQL), so an external_task wait ends within milliseconds of its upstream.
    Runnable taskEnds = ChangeSignals.taskEnds(db);
    if (mode.triggerer()) {
      Runnable announce = ChangeSignals.changes(db);
      triggerer =
          TriggererService.triggerer(
              db,
              settings,
              clock,
              null,
              () -> {
                wakeup.signal();
                announce.run();
              });
      Triggerer inProcess = triggerer;
      Runnable ended =
          () -> {
            inProcess.changed();
            taskEnds.run();
          };
      if (executor != null) {
        executor.onTryEnded(ended);
      }
      loop.onRunsFinished(ended);
      triggerer.start();
      triggererThread = Thread.ofPlatform().name("triggerer").start(triggerer::run);
    } else {
      if (executor != null) {
        executor.onTryEnded(taskEnds);
      }
      loop.onRunsFinished(taskEnds);
    }
    // Callbacks and deadline alerts run beside the loop, never in it (SPEC §1.8).
    Duration callbackTimeout = config.duration(ConfigKey.CALLBACK_TIMEOUT);
    DagVersions callbackVersions = new DagVersions(new SerializedDagRepository(db));
    callbacks =
        new CallbackRunner(
                db,
                callbackVersions::get,
                new Notifiers(
                    settings.lookups(db).connections(new SecretMasker()), callbackTimeout),
                settings.lookups(db),
                settings.home().resolve("logs"),
                clock,
                CallbackRunner.Settings.forTimeout(callbackTimeout),
                "scheduler-" + jobId)
            .start();
    if (stopRequested) { // a signal came while starting
      loop.stop();
    }
    signals = ChangeSignals.listen(db, wakeup::signal);
    DagProcessor.Report first = processor == null ? null : processor.start(wakeup::signal);
    if (processor != null) {
      // The in-JVM processor has a job as the dag-processor command does: health shows it.
      processorJob =
          DagProcessorJob.start(
              db,
              clock,
              DagProcessorJob.heartbeatEvery(
                  config.duration(ConfigKey.SCHEDULER_HEALTH_CHECK_THRESHOLD)),
              () -> {});
    }
    wakeup.signal();
    if (mode.api() != null) {
      // The Fernet key file may have been created above, after the mode was made.
      apiServer =
          ApiServerCommand.startServer(
              db,
              mode.api().with(settings.fernetKeys(), settings.dagsFolder()),
              clock,
              ApiServerCommand.uiFiles(settings));
    }
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
            + ", "
            + executorName
            + " executor"
            + (first != null ? ", DAG processor" : "")
            + (triggerer != null ? ", triggerer job " + triggerer.jobId() : "")
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
    if (apiServer != null) {
      String api = ApiServerCommand.url(mode.api().host(), apiServer.port());
      out.println("  web UI:    " + api.replace("/api/v2", "/"));
      out.println("  API:       " + api + " (API browser: /docs)");
      StandaloneAdmin.ensure(new UserAccounts(db), settings.home(), out, clock.instant());
    }
    out.println(
        "  new DAGs start "
            + (config.bool(ConfigKey.DAGS_ARE_PAUSED_AT_CREATION) ? "paused" : "unpaused")
            + "; from another terminal: updraft dags unpause <dag>, updraft dags trigger <dag>,"
            + " updraft dags list-runs <dag>");
    out.flush();
  }

  /** Blocks until the scheduler thread ends (after {@link #close()}). */
  @Override
  public void awaitStop() throws InterruptedException {
    scheduler.join();
  }

  /** Asks the scheduler loop to end (a signal's handler): {@link #awaitStop} then returns. */
  @Override
  public void requestStop() {
    stopRequested = true;
    if (loop != null) {
      loop.stop();
    }
  }

  /** Whether the scheduler stopped by itself (another scheduler ended its job), not on request. */
  @Override
  public boolean stoppedItself() {
    return loop != null && loop.stoppedItself();
  }

  /** The graceful stop (see the class comment); once, whoever calls it first, the others wait. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    boolean started = loop != null;
    if (apiServer != null) {
      apiServer.close(); // no new requests while the rest stops
    }
    if (processor != null) {
      processor.close();
    }
    if (processorJob != null) {
      processorJob.close();
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
    stopTriggerer();
    if (callbacks != null) {
      callbacks.close();
    }
    if (scheduler != null) {
      try {
        scheduler.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    int handedBack = 0;
    if (executor != null) {
      int running = executor.runningTries();
      say(
          "Stopping: no new work taken; ending "
              + running
              + " running "
              + (running == 1 ? "try" : "tries")
              + " (grace "
              + Durations.human(shutdownGrace)
              + ")…");
      handedBack = executor.stop(shutdownGrace);
    }
    // The job ends after its tries are recorded and before the database closes: a clean end, so
    // the next scheduler neither waits for its heartbeat to go stale nor takes it for dead.
    if (jobs != null) {
      try {
        jobs.finish(jobId, true, clock.instant());
      } catch (RuntimeException e) {
        log.warn("could not record the scheduler job's end: {}", e.getMessage());
      }
    }
    if (queueTo != null) {
      queueTo.close();
    }
    if (kubernetesClient != null) {
      kubernetesClient.close();
    }
    if (db != null) {
      db.close();
    }
    if (started) {
      say(
          handedBack == 0
              ? "Stopped."
              : "Stopped. "
                  + handedBack
                  + " interrupted "
                  + (handedBack == 1 ? "try is" : "tries are")
                  + " up for retry at once, at no cost to "
                  + (handedBack == 1 ? "its" : "their")
                  + " retries.");
    }
  }

  @Override
  public String alreadyStopping() {
    return "Already stopping: waiting for the running tries to end (kill -9 to end now).";
  }

  /** The in-process triggerer releases its triggers before the database closes. */
  private void stopTriggerer() {
    if (triggerer == null) {
      return;
    }
    triggerer.stop();
    if (triggererThread != null) {
      try {
        triggererThread.join(java.time.Duration.ofSeconds(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    triggerer.close();
  }

  private void say(String line) {
    messages.println(line);
    messages.flush();
  }
}
