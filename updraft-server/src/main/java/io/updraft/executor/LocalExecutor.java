package io.updraft.executor;

import io.updraft.dag.Dag;
import io.updraft.dag.Task;
import io.updraft.metrics.ExecutorMetrics;
import io.updraft.metrics.Metrics;
import io.updraft.scheduler.DagVersions;
import io.updraft.scheduler.Wakeup;
import io.updraft.store.DagRunRow;
import io.updraft.store.Database;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import io.updraft.store.TaskInstanceTries;
import io.updraft.util.Hostname;
import io.updraft.worker.Cancellation;
import io.updraft.worker.SlowStart;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs task instances on threads of this JVM, at most {@code parallelism} at once (the embedded
 * default). Each try is supervised: marked running (which counts the try), heartbeated while it
 * runs — and stopped when a heartbeat finds its instance no longer running (cleared, marked,
 * skipped by a run timeout) — its outcome recorded — a failure becomes up_for_retry or failed by
 * the task's retries — with its return value as XCom and, for a success, an asset event per outlet,
 * and then the scheduler is woken so the downstream starts at once.
 *
 * <p>{@link #stop} ends it gracefully (decisions/0042): no try starts any more, every running try's
 * process tree gets SIGTERM at once and SIGKILL after the shutdown grace, and each try ended so is
 * handed back to run again at once, at no cost to its retries.
 */
public final class LocalExecutor implements Executor {
  private static final Logger log = LoggerFactory.getLogger(LocalExecutor.class);

  private final TaskInstanceRepository taskInstances;
  private final TaskInstanceTries tries;
  private final TryRecorder recorder;
  private final SuccessBatches successes;
  private final DagVersions versions;
  private final TryRunner runner;
  private final int parallelism;
  private final Clock clock;
  private final Wakeup wakeup;
  private final Duration heartbeatEvery;
  private final ExecutorService threads;
  private final ScheduledExecutorService heartbeats;
  private final AtomicInteger running = new AtomicInteger();

  /** The cancel handle of every try being supervised, by task instance id. */
  private final Map<Long, CompletableFuture<Cancellation>> supervised = new ConcurrentHashMap<>();

  /** Set once by {@link #stop}: the cancellation it gave every try. */
  private volatile Cancellation stopping;

  private final AtomicInteger handedBack = new AtomicInteger();

  /** Told of every try's end besides the scheduler: the triggerer's {@code external_task} waits. */
  private volatile Runnable tryEnded = () -> {};

  private final String hostname;
  private final int pid = (int) ProcessHandle.current().pid();

  /** This executor's share of the process's executor gauges, until {@link #close}. */
  private final Metrics.Tracking metrics;

  /**
   * How often a running try's heartbeat is recorded (and a try whose instance left running is
   * stopped): Airflow's {@code job_heartbeat_sec}, 5 s, or a tenth of the heartbeat timeout when
   * that is shorter.
   */
  public static Duration heartbeatEvery(Duration heartbeatTimeout) {
    Duration tenth = heartbeatTimeout.dividedBy(10);
    return tenth.compareTo(Duration.ofSeconds(5)) < 0 ? tenth : Duration.ofSeconds(5);
  }

  public LocalExecutor(
      Database database,
      DagVersions versions,
      TryRunner runner,
      int parallelism,
      Clock clock,
      Wakeup wakeup,
      Duration heartbeatEvery) {
    this.taskInstances = new TaskInstanceRepository(database);
    this.tries = new TaskInstanceTries(database);
    this.recorder = new TryRecorder(database);
    this.versions = versions;
    this.runner = runner;
    this.parallelism = parallelism;
    this.clock = clock;
    this.successes = new SuccessBatches(batch -> recorder.recordSuccesses(batch, clock.instant()));
    this.wakeup = wakeup;
    this.heartbeatEvery = heartbeatEvery;
    this.threads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("try-", 0).factory());
    this.heartbeats =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("heartbeats").factory());
    this.hostname = Hostname.ofThisMachine();
    this.metrics = ExecutorMetrics.track(this::openSlots, running::get);
  }

  @Override
  public int openSlots() {
    return parallelism - running.get();
  }

  /**
   * Starts the tries of a scheduler pass in one transaction (decisions/0192) on a thread of their
   * own, then runs each on a thread of its own.
   */
  @Override
  public void queue(List<TaskInstanceRow> tis) {
    if (tis.isEmpty()) {
      return;
    }
    running.addAndGet(tis.size());
    Map<Long, CompletableFuture<Cancellation>> cancels = new LinkedHashMap<>();
    for (TaskInstanceRow ti : tis) {
      CompletableFuture<Cancellation> cancel = new CompletableFuture<>();
      cancels.put(ti.id(), cancel);
      supervised.put(ti.id(), cancel);
    }
    threads.execute(() -> startTogether(tis, cancels));
  }

  /** Starts the tries in one transaction, then supervises each started one on its own thread. */
  private void startTogether(
      List<TaskInstanceRow> tis, Map<Long, CompletableFuture<Cancellation>> cancels) {
    Map<Long, TryRecorder.Started> started = Map.of();
    long startedAt = System.nanoTime();
    try {
      if (stopping == null) {
        started =
            recorder.startAll(
                tis, r -> versions.get(r.dagId(), r.dagHash()), hostname, pid, clock.instant());
      }
    } catch (RuntimeException e) {
      log.error("starting {} tries failed; they stay queued", tis.size(), e);
    }
    for (TaskInstanceRow ti : tis) {
      TryRecorder.Started s = started.get(ti.id());
      if (s == null) {
        // Not started: stopping (it stays queued by this scheduler's job, and once the job has
        // ended it is rescheduled as an orphan, decisions/0024), its run deleted, or the instance
        // moved on (cleared, rescheduled).
        ended(ti, -1);
      } else {
        try {
          threads.execute(() -> supervise(ti, cancels.get(ti.id()), s, startedAt));
        } catch (RejectedExecutionException stopped) {
          // A stop came after the start: run it here, where its cancellation hands it back.
          supervise(ti, cancels.get(ti.id()), s, startedAt);
        }
      }
    }
  }

  /**
   * Runs a try {@link #startTogether} started (at {@code startedAt}, {@link System#nanoTime}) to
   * its end, and records it.
   */
  private void supervise(
      TaskInstanceRow queued,
      CompletableFuture<Cancellation> cancel,
      TryRecorder.Started started,
      long startedAt) {
    DagRunRow run = started.run();
    try {
      Dag dag = started.dag();
      Task task = started.task();
      TaskInstanceRow ti = started.ti();
      SlowStart.hold(ti.tryNumber());
      ScheduledFuture<?> beat =
          heartbeats.scheduleAtFixedRate(
              () -> heartbeat(ti, cancel),
              heartbeatEvery.toMillis(),
              heartbeatEvery.toMillis(),
              TimeUnit.MILLISECONDS);
      TryRunner.Result result;
      try {
        String fileloc = versions.fileloc(run.dagId(), run.dagHash());
        result =
            runner.run(
                new TryRunner.Request(
                    dag, task, run, ti, fileloc, cancel, () -> confirm(ti, startedAt)));
      } catch (Exception e) {
        result = TryRunner.Result.failed(e.toString());
      } finally {
        beat.cancel(false);
      }
      Cancellation cancelled = cancel.getNow(null);
      boolean stopped = cancelled != null && cancelled == stopping;
      // A plain success is recorded with the others that end meanwhile (decisions/0193); anything
      // else, or one that batch could not record, is recorded alone.
      if (!TryRecorder.isPlainSuccess(task, result, stopped)
          || !successes.record(new TryRecorder.Success(task, run, ti, result.returnValueJson()))) {
        TryRecorder.Recorded recorded =
            recorder.record(dag, task, run, ti, result, stopped, clock.instant());
        if (recorded.handedBack()) {
          handedBack.incrementAndGet();
        }
      }
    } catch (RuntimeException e) {
      log.error(
          "supervising {}.{} in {} failed", queued.dagId(), queued.taskId(), queued.runId(), e);
    } finally {
      ended(queued, run.id());
    }
  }

  /** A try's slot is free again: the scheduler is woken, at its run when it ran ({@code >= 0}). */
  private void ended(TaskInstanceRow queued, long runRowId) {
    supervised.remove(queued.id());
    running.decrementAndGet();
    if (runRowId >= 0) {
      wakeup.signalRun(runRowId); // the next pass looks at this run first
    } else {
      wakeup.signal();
    }
    tryEnded.run();
  }

  /**
   * Records the heartbeat of a running try, and stops the try when its instance is no longer
   * running: cleared (restarting), marked, or skipped by its run's timeout — as Airflow's task
   * runner terminates a task whose state was changed from outside.
   */
  private void heartbeat(TaskInstanceRow ti, CompletableFuture<Cancellation> cancel) {
    try {
      if (!tries.heartbeat(ti.id(), ti.tryNumber(), clock.instant())) {
        cancel.complete(Cancellation.of(gone(ti)));
      }
    } catch (RuntimeException e) {
      log.warn("heartbeat of task instance {} failed: {}", ti.id(), e.getMessage());
    }
  }

  /**
   * The try's {@link io.updraft.worker.StartGate} (decisions/0172): started by this executor within
   * the last heartbeat interval ({@code startedAt}, usually milliseconds ago), it starts; otherwise
   * (this JVM was too loaded to start it in time) it heartbeats first and starts only if that very
   * try is still running — not failed by the heartbeat timeout, its retry started elsewhere.
   */
  private Cancellation confirm(TaskInstanceRow ti, long startedAt) {
    if (System.nanoTime() - startedAt < heartbeatEvery.toNanos()) {
      return null;
    }
    try {
      return tries.heartbeat(ti.id(), ti.tryNumber(), clock.instant())
          ? null
          : Cancellation.of("not started: " + gone(ti));
    } catch (RuntimeException e) {
      return Cancellation.of("not started: its heartbeat could not be recorded: " + e.getMessage());
    }
  }

  /** Why a try is no longer running, as its task instance's row says. */
  private String gone(TaskInstanceRow ti) {
    return taskInstances
        .get(ti.id())
        .map(
            t ->
                t.tryNumber() != ti.tryNumber()
                    ? "try "
                        + ti.tryNumber()
                        + " is over (the task instance is on try "
                        + t.tryNumber()
                        + ")"
                    : "the task instance is now " + t.state().id())
        .orElse("the task instance was deleted");
  }

  /**
   * Also tells {@code listener} when a try ends (after the scheduler's wakeup): a triggerer in this
   * JVM, and the announcement of task ends to triggerers elsewhere. It must return at once.
   */
  public void onTryEnded(Runnable listener) {
    this.tryEnded = listener;
  }

  /** Tries being supervised now: started, or about to start. */
  public int runningTries() {
    return supervised.size();
  }

  /**
   * Stops gracefully: no try starts any more; every running try's process tree gets SIGTERM now and
   * SIGKILL once {@code grace} has passed, and the try is handed back ({@link
   * TaskInstanceRepository#handBack}); waits for every try to be recorded, within a bound. Returns
   * how many tries were handed back. Call {@link #close} afterwards.
   */
  public int stop(Duration grace) {
    Cancellation stop = new Cancellation("Updraft is stopping", grace);
    stopping = stop;
    supervised.values().forEach(c -> c.complete(stop));
    threads.shutdown();
    // SIGKILL comes after the grace; the pipes of an escaped process may take as long again.
    Duration bound = grace.multipliedBy(2).plusSeconds(10);
    try {
      if (!threads.awaitTermination(bound.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn(
            "{} try(s) did not end within {}: left to the task heartbeat timeout",
            supervised.size(),
            bound);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return handedBack.get();
  }

  @Override
  public void close() {
    metrics.close();
    threads.shutdown();
    try {
      threads.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    heartbeats.shutdownNow();
  }
}
