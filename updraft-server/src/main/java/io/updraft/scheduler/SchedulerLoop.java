package io.updraft.scheduler;

import io.updraft.metrics.SchedulerMetrics;
import io.updraft.store.JobRepository;
import io.updraft.store.PlannerStatistics;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler loop of DESIGN.md: create runs, start queued runs, examine running runs, queue task
 * instances — then sleep until woken (a task ended, a run was triggered), until the earliest
 * time-based deadline (a retry delay, a run timeout, the next scheduled run), or for at most the
 * idle timeout. It survives any exception in a pass: logs it once with its stack trace, counts it,
 * and goes on.
 */
public final class SchedulerLoop {
  private static final Logger log = LoggerFactory.getLogger(SchedulerLoop.class);

  /** What one pass did; all zero means there was nothing to do. */
  public record Pass(
      int created, int started, int changed, int finished, int queued, Instant nextCheckAt) {
    public boolean didWork() {
      return created + started + changed + finished + queued > 0;
    }
  }

  private final SchedulerContext ctx;
  private final CreateDagRuns createDagRuns;
  private final StartQueuedRuns startQueuedRuns;
  private final ScheduleDagRuns scheduleDagRuns;
  private final EnqueueTaskInstances enqueue;
  private final DetectStuckTasks detectStuck;
  private final PlannerStatistics plannerStatistics;
  private final Duration idleTimeout;
  private final Duration detectEvery;

  /** Detectors look at slow timeouts (minutes): every few seconds is often enough. */
  private static final Duration DETECT_EVERY = Duration.ofSeconds(5);

  private Instant lastDetect;

  /** Told when a pass finished runs: a triggerer's waits on whole runs ({@code trigger_dag}). */
  private volatile Runnable runsFinished = () -> {};

  private volatile boolean stopping;
  private volatile boolean stoppedItself;
  private long errors;

  /**
   * The timeouts of step 5.
   *
   * @param taskHeartbeat {@code scheduler.task_instance_heartbeat_timeout}
   * @param schedulerHealth {@code scheduler.scheduler_health_check_threshold}
   * @param queued {@code scheduler.task_queued_timeout}
   */
  public record Timeouts(Duration taskHeartbeat, Duration schedulerHealth, Duration queued) {
    /** Airflow's defaults: 5 min, 30 s, 10 min. */
    public static Timeouts defaults() {
      return new Timeouts(Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofMinutes(10));
    }
  }

  /** A loop with Airflow's default timeouts. */
  public SchedulerLoop(SchedulerContext ctx, Duration idleTimeout) {
    this(ctx, idleTimeout, Timeouts.defaults());
  }

  public SchedulerLoop(SchedulerContext ctx, Duration idleTimeout, Timeouts timeouts) {
    this.ctx = ctx;
    this.detectStuck = new DetectStuckTasks(ctx, timeouts);
    this.createDagRuns = new CreateDagRuns(ctx);
    this.startQueuedRuns = new StartQueuedRuns(ctx);
    this.scheduleDagRuns = new ScheduleDagRuns(ctx);
    this.enqueue = new EnqueueTaskInstances(ctx);
    this.plannerStatistics = new PlannerStatistics(ctx.database());
    this.idleTimeout = idleTimeout;
    // The job heartbeat goes with the detectors: it must come well within the health threshold, or
    // live schedulers take each other for dead (a 3 s threshold against a 5 s beat did).
    Duration third = timeouts.schedulerHealth().dividedBy(3);
    this.detectEvery = third.compareTo(DETECT_EVERY) < 0 ? third : DETECT_EVERY;
  }

  /** One pass of every step, at the clock's current instant. */
  public Pass runOnce() {
    return runOnce(false);
  }

  /**
   * @param followUp the pass comes at once after one that did work, with nothing due: its rotation
   *     leaves the runs examined within {@link ScheduleDagRuns#ROTATION_REST} (decisions/0188)
   */
  private Pass runOnce(boolean followUp) {
    long startedAt = System.nanoTime();
    Instant now = ctx.clock().instant();
    int recovered = 0;
    if (lastDetect == null || !now.isBefore(lastDetect.plus(detectEvery))) {
      heartbeat(now);
      recovered = detectStuck.run(now);
      lastDetect = now;
    }
    int created = ctx.scope() == null ? createDagRuns.run(now) : 0;
    int started = startQueuedRuns.run(now);
    ScheduleDagRuns.Result examined = scheduleDagRuns.run(now, followUp);
    int queued = enqueue.run(now);
    if (created + started + examined.changes() + queued > 0) {
      plannerStatistics.analyseIfNone();
    }
    if (examined.runsFinished() > 0) {
      runsFinished.run();
    }
    SchedulerMetrics.loopPass(System.nanoTime() - startedAt);
    return new Pass(
        created,
        started,
        examined.changes(),
        examined.runsFinished(),
        queued,
        examined.nextCheckAt());
  }

  /**
   * Runs passes until {@link #stop()}; a pass that did work is followed at once by another. A pass
   * that follows work, or a signal whose changes the previous pass already took, is a follow-up:
   * unless a deadline a pass reported has come, it leaves the runs just examined (decisions/0188).
   * One after a timeout, with a deadline due, is a full pass.
   */
  public void run() {
    boolean followUp = false;
    Instant dueAt = null; // the earliest deadline of the passes since the last full one
    while (!stopping) {
      try {
        Pass pass = runOnce(followUp);
        dueAt = followUp ? earliest(dueAt, pass.nextCheckAt()) : pass.nextCheckAt();
        boolean goOn = pass.didWork() || ctx.wakeup().await(sleepFor(dueAt));
        followUp = goOn && (dueAt == null || dueAt.isAfter(ctx.clock().instant()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        errors++;
        followUp = false;
        log.error("scheduler pass failed (error {}); going on", errors, e);
        try {
          ctx.wakeup().await(Duration.ofSeconds(1));
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private static Instant earliest(Instant a, Instant b) {
    return a == null ? b : b == null || a.isBefore(b) ? a : b;
  }

  private Duration sleepFor(Instant nextCheckAt) {
    // Wake for the next heartbeat too, however long the idle timeout.
    Instant wakeAt = nextCheckAt;
    if (lastDetect != null) {
      Instant nextDetect = lastDetect.plus(detectEvery);
      wakeAt = wakeAt == null || nextDetect.isBefore(wakeAt) ? nextDetect : wakeAt;
    }
    if (wakeAt == null) {
      return idleTimeout;
    }
    Duration until = Duration.between(ctx.clock().instant(), wakeAt);
    return until.isNegative()
        ? Duration.ZERO
        : until.compareTo(idleTimeout) < 0 ? until : idleTimeout;
  }

  /**
   * Records this scheduler's job heartbeat. If another scheduler has meanwhile ended the job (it
   * saw no heartbeat for too long, and has rescheduled what this one queued), this one stops, as
   * Airflow's does: two schedulers must not both think they own those tasks.
   */
  private void heartbeat(Instant now) {
    if (ctx.jobs().heartbeat(ctx.jobId(), now)) {
      SchedulerMetrics.heartbeat();
      return;
    }
    ctx.jobs()
        .get(ctx.jobId())
        .filter(job -> !job.state().equals(JobRepository.RUNNING))
        .ifPresent(
            job -> {
              log.error(
                  "scheduler job {} was ended ({}) by another scheduler that saw no heartbeat;"
                      + " stopping — raise scheduler.scheduler_health_check_threshold if this"
                      + " machine pauses for long",
                  job.id(),
                  job.state());
              stoppedItself = true;
              stopping = true;
            });
  }

  /** Also tells {@code listener} after a pass that finished runs; it must return at once. */
  public void onRunsFinished(Runnable listener) {
    this.runsFinished = listener;
  }

  /** Whether the loop stopped because its job was ended by another scheduler. */
  public boolean stoppedItself() {
    return stoppedItself;
  }

  public void stop() {
    stopping = true;
    ctx.wakeup().signal();
  }

  /** How many passes failed since start. */
  public long errors() {
    return errors;
  }
}
