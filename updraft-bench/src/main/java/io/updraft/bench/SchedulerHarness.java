package io.updraft.bench;

import io.updraft.dagproc.DagProcessor;
import io.updraft.executor.Executor;
import io.updraft.executor.LocalExecutor;
import io.updraft.executor.NullExecutor;
import io.updraft.executor.WorkerTryRunner;
import io.updraft.scheduler.DagVersions;
import io.updraft.scheduler.ManualRuns;
import io.updraft.scheduler.SchedulerContext;
import io.updraft.scheduler.SchedulerLoop;
import io.updraft.scheduler.Wakeup;
import io.updraft.store.ChangeSignals;
import io.updraft.store.Database;
import io.updraft.store.JobRepository;
import io.updraft.store.JobType;
import io.updraft.store.SerializedDagRepository;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The production pieces a scheduler benchmark runs, wired as {@code updraft scheduler} wires them
 * (cli.SchedulerService): DAG files read by the {@link DagProcessor}, manual runs created by {@link
 * ManualRuns} as {@code dags trigger} creates them, and a {@link SchedulerLoop} on a thread of its
 * own with a null or local executor. Only the bench's own waiting and reading of results is extra.
 */
final class SchedulerHarness implements AutoCloseable {
  /** Which executor runs the task instances. */
  enum ExecutorKind {
    /** Tries end at once: the scheduler alone (seed 000's TestExecutor). */
    NULL,
    /** Real {@code bash -c true} processes, supervised on threads (the embedded default). */
    LOCAL
  }

  /** {@code core.parallelism}'s default: task instances the local executor runs at once. */
  static final int PARALLELISM = 32;

  /**
   * How often the wait for the end reads the runs' states. The end is read from the rows, so this
   * only bounds the gap before the next run; every 5 ms it was a count of the runs about 280 times
   * a run, as many statements as the tries' own reads of their runs.
   */
  private static final Duration POLL = Duration.ofMillis(25);

  private final Database db;
  private final Clock clock = Clock.systemUTC();
  private final Wakeup wakeup = new Wakeup();
  private final Executor executor;
  private final SchedulerLoop loop;
  private final DagVersions versions;
  private Thread thread;
  private AutoCloseable signals = () -> {};

  SchedulerHarness(Database db, ExecutorKind kind, Path logs) {
    this.db = db;
    this.versions = new DagVersions(new SerializedDagRepository(db));
    Duration heartbeatTimeout = SchedulerLoop.Timeouts.defaults().taskHeartbeat();
    this.executor =
        switch (kind) {
          case NULL -> new NullExecutor(db, clock, wakeup);
          case LOCAL ->
              new LocalExecutor(
                  db,
                  versions,
                  WorkerTryRunner.onDatabase(db, logs, clock),
                  PARALLELISM,
                  clock,
                  wakeup,
                  LocalExecutor.heartbeatEvery(heartbeatTimeout)); // as SchedulerService
        };
    if (executor instanceof LocalExecutor local) {
      // As SchedulerService: task ends announced to triggerers elsewhere (PostgreSQL), coalesced.
      local.onTryEnded(ChangeSignals.taskEnds(db));
    }
    long jobId =
        new JobRepository(db)
            .register(
                JobType.SCHEDULER,
                "updraft-bench",
                (int) ProcessHandle.current().pid(),
                clock.instant());
    this.loop =
        new SchedulerLoop(
            SchedulerContext.create(db, executor, wakeup, clock, jobId), Duration.ofSeconds(1));
  }

  /** Reads the dags folder into the database as the DAG processor does, the DAGs unpaused. */
  static DagProcessor.Report loadDags(Database db, Path folder) {
    DagProcessor.Settings settings =
        new DagProcessor.Settings(folder, false, Duration.ofMinutes(5), Duration.ofMinutes(5), 2);
    try (DagProcessor processor = new DagProcessor(db, settings, Clock.systemUTC())) {
      return processor.scan();
    }
  }

  /**
   * Creates {@code count} queued manual runs of each DAG, as {@code dags trigger} does, and wakes
   * the scheduler if it runs.
   */
  void trigger(List<String> dagIds, int count) {
    Instant base = Instant.parse("2024-01-01T00:00:00Z");
    for (String dagId : dagIds) {
      DagVersions.Versioned latest = versions.latest(dagId);
      for (int i = 0; i < count; i++) {
        ManualRuns.trigger(db, latest, base.plusSeconds(i), null, null, clock.instant());
      }
    }
    wakeup.signal(); // what `dags trigger`'s change signal does for a running scheduler
  }

  /** Starts the scheduler loop; returns the instant it was started at. */
  Instant start() {
    Instant at = clock.instant();
    thread = Thread.ofPlatform().name("scheduler").start(loop::run);
    // As SchedulerService: runs triggered elsewhere (the API, `dags trigger`) wake the loop.
    signals = ChangeSignals.listen(db, wakeup::signal);
    return at;
  }

  /**
   * Waits until no run is queued or running, then returns the last run's end date: when the
   * scheduler finished, read from the rows it wrote rather than from this wait's polling.
   */
  Instant awaitAllFinished(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (unfinishedRuns() > 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            unfinishedRuns() + " run(s) still unfinished after " + timeout.toSeconds() + " s");
      }
      Thread.sleep(POLL);
    }
    if (loop.errors() > 0) {
      throw new IllegalStateException(loop.errors() + " scheduler pass(es) failed: see the log");
    }
    return db.jdbc()
        .queryOne(
            "last run end",
            "SELECT MAX(end_date) AS last_end FROM dag_run",
            ps -> {},
            rs -> db.dialect().getInstant(rs, "last_end"))
        .orElseThrow();
  }

  private int unfinishedRuns() {
    return count("SELECT COUNT(*) FROM dag_run WHERE state IN ('queued', 'running')");
  }

  /** How many runs ended in a state other than success (a benchmark expects none). */
  int unsuccessfulRuns() {
    return count("SELECT COUNT(*) FROM dag_run WHERE state <> 'success'");
  }

  /** Successful task instances in the database. */
  int successfulTaskInstances() {
    return count("SELECT COUNT(*) FROM task_instance WHERE state = 'success'");
  }

  private int count(String sql) {
    return db.jdbc().queryOne(sql, sql, ps -> {}, rs -> rs.getInt(1)).orElseThrow();
  }

  List<TaskInstanceRow> taskInstances(String dagId, String runId) {
    return new TaskInstanceRepository(db).listForRun(dagId, runId);
  }

  @Override
  public void close() throws Exception {
    signals.close();
    loop.stop();
    if (thread != null) {
      thread.join();
    }
    executor.close();
  }
}
