package io.updraft.triggerer;

import io.updraft.executor.WorkerTryRunner;
import io.updraft.metrics.Metrics;
import io.updraft.metrics.TriggererMetrics;
import io.updraft.scheduler.DagVersions;
import io.updraft.scheduler.Wakeup;
import io.updraft.sensors.Condition;
import io.updraft.sensors.ConditionChecker;
import io.updraft.sensors.ExternalStates;
import io.updraft.store.DagRunRepository;
import io.updraft.store.Database;
import io.updraft.store.JobRepository;
import io.updraft.store.JobRow;
import io.updraft.store.JobType;
import io.updraft.store.SerializedDagRepository;
import io.updraft.store.TaskInstanceDeferrals;
import io.updraft.store.TriggerRepository;
import io.updraft.store.TriggerRow;
import io.updraft.util.Hostname;
import io.updraft.worker.Durations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The triggerer loop (SPEC §1.9): registers a {@code triggerer} job and heartbeats it; claims up to
 * {@code capacity} triggers, taking over those of triggerers whose heartbeat went stale; checks the
 * waits that are due on virtual threads, at most {@code maxConcurrentChecks} at once, with every
 * {@code external_task} condition of a round read by one batched query; ends their task instances
 * and wakes the scheduler. It is itself woken ({@link #changed}) when a task ends elsewhere, and
 * then re-checks its {@code external_task} waits at once instead of at their next poke.
 *
 * <p>A pass ({@link #runOnce}) never waits for the checks it starts: a slow check (an HTTP timeout)
 * delays nobody else's. {@link #close} stops gracefully: checks are interrupted, the triggers
 * released for other triggerers, the job ended.
 */
public final class Triggerer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Triggerer.class);

  /**
   * @param capacity triggers held at once ({@code triggerer.capacity}; Airflow's default 1,000)
   * @param healthThreshold a triggerer whose heartbeat is older is dead and its triggers are taken
   *     over ({@code scheduler.scheduler_health_check_threshold})
   * @param maxConcurrentChecks checks running at once
   * @param claimEvery how often new triggers are looked for when nothing signals them
   */
  public record Settings(
      int capacity, Duration healthThreshold, int maxConcurrentChecks, Duration claimEvery) {
    public static final int DEFAULT_CAPACITY = 1000;

    public static Settings defaults() {
      return new Settings(DEFAULT_CAPACITY, Duration.ofSeconds(30), 256, Duration.ofSeconds(1));
    }

    public Settings withCapacity(int n) {
      return new Settings(n, healthThreshold, maxConcurrentChecks, claimEvery);
    }

    public Settings withHealthThreshold(Duration d) {
      return new Settings(capacity, d, maxConcurrentChecks, claimEvery);
    }
  }

  /** The checks one pass started; tests wait for them. */
  public record Pass(int claimed, List<CompletableFuture<Void>> checks) {
    /** Waits until every check this pass started has been applied. */
    public void awaitChecks() {
      CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).join();
    }
  }

  private final Database database;
  private final JobRepository jobs;
  private final TriggerRepository triggers;
  private final TriggerSlots slots;
  private final WaitLoader loader;
  private final WaitChecks checks;
  private final WaitEndings endings;
  private final PrefetchedStates external;
  private final Clock clock;
  private final Settings settings;
  private final Duration beatEvery;
  private final Wakeup wakeup = new Wakeup();
  private final ExecutorService threads =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("trigger-check-", 0).factory());
  private final Semaphore running;
  private final AtomicBoolean recheckExternal = new AtomicBoolean();
  private final AtomicBoolean claimNow = new AtomicBoolean(true);

  /**
   * When the loop sleeps until (null: it is awake) and, while it is awake, the earliest next check
   * that ended checks planned. A check that ends wakes the loop only when it freed a slot or its
   * next check is due before the loop wakes anyway: with 10,000 waits, a wake per check would scan
   * them all 10,000 times a round. Guarded by {@code plan}.
   */
  private final Object plan = new Object();

  private Instant sleepingUntil;
  private Instant nextAfterChecks;

  private long jobId;

  /** This triggerer's share of the process's triggerer gauges, from start to close. */
  private Metrics.Tracking metrics;

  private Instant lastBeat;
  private Instant nextClaim;
  private volatile boolean stopping;
  private volatile boolean stoppedItself;
  private boolean closed;
  private long errors;

  /**
   * @param tries renders a {@code sensor} task's arguments as its worker try would
   * @param checker checks one condition ({@link io.updraft.sensors} {@code Checks})
   * @param externalStates where {@code external_task} states come from (batched)
   * @param env the environment of {@code command} conditions
   * @param taskEnded wakes the scheduler(s) when a wait ended a task instance
   */
  public Triggerer(
      Database database,
      WorkerTryRunner tries,
      ConditionChecker checker,
      ExternalStates externalStates,
      Map<String, String> env,
      Clock clock,
      Settings settings,
      Runnable taskEnded) {
    this.database = database;
    this.jobs = new JobRepository(database);
    this.triggers = new TriggerRepository(database);
    this.slots = new TriggerSlots(triggers, settings.capacity());
    this.external = new PrefetchedStates(externalStates);
    TaskInstanceDeferrals deferrals = new TaskInstanceDeferrals(database);
    this.loader =
        new WaitLoader(
            deferrals,
            new DagRunRepository(database),
            new DagVersions(new SerializedDagRepository(database)),
            tries,
            external,
            env,
            clock);
    this.endings = new WaitEndings(database, clock, taskEnded);
    this.checks = new WaitChecks(checker, deferrals, endings, clock);
    this.clock = clock;
    this.settings = settings;
    this.running = new Semaphore(settings.maxConcurrentChecks());
    // The heartbeat must come well within the health threshold, or live triggerers take each other
    // for dead (as the scheduler's, SchedulerLoop).
    Duration third = settings.healthThreshold().dividedBy(3);
    this.beatEvery = third.compareTo(Duration.ofSeconds(5)) < 0 ? third : Duration.ofSeconds(5);
  }

  /** Registers this triggerer's job (once); its id. */
  public synchronized long start() {
    if (jobId == 0) {
      jobId =
          jobs.register(
              JobType.TRIGGERER,
              Hostname.ofThisMachine(),
              (int) ProcessHandle.current().pid(),
              clock.instant());
      metrics = TriggererMetrics.track(slots::held, slots::free);
    }
    return jobId;
  }

  public long jobId() {
    return jobId;
  }

  /** Triggers held and being checked. */
  public int held() {
    return slots.held();
  }

  /**
   * Something changed elsewhere (a task ended, a trigger was written): re-check the {@code
   * external_task} waits and look for new triggers now. Cheap; call it from any thread.
   */
  public void changed() {
    recheckExternal.set(true);
    claimNow.set(true);
    wakeup.signal();
  }

  /** One pass: heartbeat, claims, and the checks that are due, started but not awaited. */
  public Pass runOnce() {
    start();
    Instant now = clock.instant();
    if (lastBeat == null || !now.isBefore(lastBeat.plus(beatEvery))) {
      housekeeping(now);
      lastBeat = now;
    }
    if (stopping) {
      return new Pass(0, List.of());
    }
    int claimed = 0;
    if (claimNow.getAndSet(false) || nextClaim == null || !now.isBefore(nextClaim)) {
      claimed = claim(now);
      nextClaim = now.plus(settings.claimEvery());
    }
    return new Pass(claimed, dispatch(now, recheckExternal.getAndSet(false)));
  }

  /**
   * Records the heartbeat — or, when another process ended this job, stops: its triggers may
   * already be someone else's. Ends the jobs of triggerers that stopped heartbeating, and drops the
   * triggers this one no longer holds.
   */
  private void housekeeping(Instant now) {
    if (!jobs.heartbeat(jobId, now)) {
      JobRow job = jobs.get(jobId).orElse(null);
      log.error(
          "triggerer job {} was ended ({}) by another triggerer that saw no heartbeat; stopping —"
              + " raise scheduler.scheduler_health_check_threshold if this machine pauses for long",
          jobId,
          job == null ? "deleted" : job.state());
      slots.clear();
      stoppedItself = true;
      stopping = true;
      return;
    }
    jobs.failStale(JobType.TRIGGERER, now.minus(settings.healthThreshold()), now);
    // Orphans (their run deleted, their instance moved on without them) would hold a slot forever.
    triggers.deleteUnused();
    slots.keepOnly(triggers.heldBy(jobId));
  }

  private int claim(Instant now) {
    if (slots.free() <= 0) {
      return 0;
    }
    List<Long> alive =
        jobs.aliveSince(JobType.TRIGGERER, now.minus(settings.healthThreshold())).stream()
            .map(JobRow::id)
            .toList();
    List<TriggerRow> rows = slots.claim(jobId, alive, now);
    if (rows.isEmpty()) {
      return 0;
    }
    // Loading renders templates and reads the run: on virtual threads, bounded like the checks.
    List<CompletableFuture<Void>> loads = new ArrayList<>();
    for (TriggerRow row : rows) {
      loads.add(CompletableFuture.runAsync(() -> bounded(() -> load(row)), threads));
    }
    CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new)).join();
    return rows.size();
  }

  private void load(TriggerRow row) {
    try {
      switch (loader.load(row)) {
        case WaitLoader.Ready r -> {
          SensorWait w = r.sensorWait();
          w.log()
              .note(
                  "deferred at "
                      + w.ti().startDate()
                      + "; triggerer job "
                      + jobId
                      + " waits for "
                      + String.join(
                          ", ", w.spec().conditions().stream().map(Condition::describe).toList())
                      + " (every "
                      + Durations.human(w.spec().pokeInterval())
                      + (w.spec().exponentialBackoff() ? " with exponential backoff" : "")
                      + ", timeout "
                      + Durations.human(w.spec().timeout())
                      + (w.spec().softFail() ? ", soft_fail" : "")
                      + ")");
          slots.add(w);
        }
        case WaitLoader.Broken b -> {
          endings.fail(b.ti(), b.task(), b.logicalDate(), b.log(), b.why());
          slots.done(row.id());
        }
        case WaitLoader.Orphan o -> slots.orphan(o.triggerId());
      }
    } catch (RuntimeException e) {
      // Kept claimed and loaded again at the next claim (a database hiccup).
      log.warn("loading trigger {} failed; trying again: {}", row.id(), e.toString());
    }
  }

  /**
   * Checks due within this much of a pass run in that pass: waits claimed over a few seconds have
   * their checks spread over the interval, and a pass per check would scan every held wait each
   * time (with 10,000 waits, 167 passes a second). A check at most this early changes nothing.
   */
  static final Duration CHECK_BATCH = Duration.ofMillis(100);

  private List<CompletableFuture<Void>> dispatch(Instant now, boolean early) {
    List<SensorWait> due = new ArrayList<>();
    List<Boolean> scheduled = new ArrayList<>();
    Instant horizon = now.plus(CHECK_BATCH);
    for (SensorWait w : slots.waits()) {
      Instant next = w.nextCheckAt();
      boolean isDue = next != null && !horizon.isBefore(next);
      if (w.startCheck(horizon, early && w.watchesExternal())) {
        due.add(w);
        scheduled.add(isDue);
      }
    }
    if (due.isEmpty()) {
      return List.of();
    }
    external.prefetch(due.stream().flatMap(w -> w.externalConditions().stream()).toList());
    List<CompletableFuture<Void>> started = new ArrayList<>(due.size());
    for (int i = 0; i < due.size(); i++) {
      SensorWait w = due.get(i);
      boolean onTime = scheduled.get(i);
      started.add(CompletableFuture.runAsync(() -> bounded(() -> check(w, onTime)), threads));
    }
    return started;
  }

  private void check(SensorWait w, boolean onTime) {
    boolean wake = true;
    try {
      if (checks.checkOnce(w, onTime)) {
        slots.done(w.triggerId()); // a free slot: claim at once
      } else {
        wake = wakesTheLoop(w.nextCheckAt());
      }
    } catch (InterruptedException e) {
      w.abandoned();
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // A database error while ending or planning: the wait is checked again at its next poke.
      w.checked(true, true, clock.instant().plus(w.spec().pokeInterval()));
      log.warn(
          "checking {}.{} in {} failed: {}",
          w.ti().dagId(),
          w.ti().taskId(),
          w.ti().runId(),
          e.toString());
    } finally {
      if (wake) {
        wakeup.signal();
      }
    }
  }

  /**
   * Whether a wait whose next check is at {@code next} needs the loop sooner than it planned; while
   * the loop is awake, its next sleep is told instead.
   */
  private boolean wakesTheLoop(Instant next) {
    if (next == null) {
      return true;
    }
    synchronized (plan) {
      if (sleepingUntil == null) {
        nextAfterChecks =
            nextAfterChecks == null || next.isBefore(nextAfterChecks) ? next : nextAfterChecks;
        return false;
      }
      return next.isBefore(sleepingUntil);
    }
  }

  /** The loop goes to sleep for {@code planned} at most, or less if a check ended meanwhile. */
  private Duration fallAsleep(Duration planned) {
    Instant now = clock.instant();
    synchronized (plan) {
      Instant until = now.plus(planned);
      if (nextAfterChecks != null && nextAfterChecks.isBefore(until)) {
        until = nextAfterChecks;
      }
      nextAfterChecks = null;
      sleepingUntil = until;
      Duration d = Duration.between(now, until);
      return d.isNegative() ? Duration.ZERO : d;
    }
  }

  private void wakeUp() {
    synchronized (plan) {
      sleepingUntil = null;
    }
  }

  /** Runs {@code work} holding one of the concurrent-check permits. */
  private void bounded(Runnable work) {
    try {
      running.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    try {
      work.run();
    } finally {
      running.release();
    }
  }

  /** Runs passes until {@link #stop}; sleeps until the next check, claim or heartbeat is due. */
  public void run() {
    while (!stopping) {
      try {
        runOnce();
        Duration sleep = fallAsleep(sleepFor());
        try {
          wakeup.await(sleep);
        } finally {
          wakeUp();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        errors++;
        log.error("triggerer pass failed (error {}); going on", errors, e);
        try {
          wakeup.await(Duration.ofSeconds(1));
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private Duration sleepFor() {
    Instant now = clock.instant();
    Instant wakeAt = nextClaim == null ? now : nextClaim;
    if (lastBeat != null && lastBeat.plus(beatEvery).isBefore(wakeAt)) {
      wakeAt = lastBeat.plus(beatEvery);
    }
    for (SensorWait w : slots.waits()) {
      Instant next = w.nextCheckAt();
      if (next != null && next.isBefore(wakeAt)) {
        wakeAt = next;
      }
    }
    Duration d = Duration.between(now, wakeAt);
    return d.isNegative() ? Duration.ZERO : d;
  }

  /** Asks {@link #run} to return; {@link #close} then releases the triggers. */
  public void stop() {
    stopping = true;
    wakeup.signal();
  }

  /** Whether it stopped because another triggerer ended its job. */
  public boolean stoppedItself() {
    return stoppedItself;
  }

  /** Passes that failed since start. */
  public long errors() {
    return errors;
  }

  /**
   * The graceful stop: running checks are interrupted, every trigger held is released for other
   * triggerers to claim at once, and the job is ended. Call after {@link #run} returned.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stopping = true;
    if (metrics != null) {
      metrics.close();
    }
    threads.shutdownNow();
    try {
      threads.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (jobId == 0 || stoppedItself) {
      return;
    }
    try {
      int released = triggers.release(jobId);
      jobs.finish(jobId, true, clock.instant());
      log.info("triggerer job {} stopped; released {} trigger(s)", jobId, released);
    } catch (RuntimeException e) {
      log.warn(
          "could not release the triggers of job {} ({}); others take them over once its"
              + " heartbeat is stale",
          jobId,
          e.getMessage());
    }
  }

  Database database() {
    return database;
  }
}
