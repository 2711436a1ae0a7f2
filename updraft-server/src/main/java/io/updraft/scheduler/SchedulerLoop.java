package io.updraft.scheduler;

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
  private final Duration idleTimeout;

  /** Detectors look at slow timeouts (minutes): every few seconds is often enough. */
  private static final Duration DETECT_EVERY = Duration.ofSeconds(5);

  private Instant lastDetect;
  private volatile boolean stopping;
  private long errors;

  /** A loop with Airflow's default timeouts (5 min heartbeat, 10 min queued). */
  public SchedulerLoop(SchedulerContext ctx, Duration idleTimeout) {
    this(ctx, idleTimeout, Duration.ofMinutes(5), Duration.ofMinutes(10));
  }

  /**
   * @param heartbeatTimeout {@code scheduler.task_instance_heartbeat_timeout}
   * @param queuedTimeout {@code scheduler.task_queued_timeout}
   */
  public SchedulerLoop(
      SchedulerContext ctx,
      Duration idleTimeout,
      Duration heartbeatTimeout,
      Duration queuedTimeout) {
    this.ctx = ctx;
    this.detectStuck = new DetectStuckTasks(ctx, heartbeatTimeout, queuedTimeout);
    this.createDagRuns = new CreateDagRuns(ctx);
    this.startQueuedRuns = new StartQueuedRuns(ctx);
    this.scheduleDagRuns = new ScheduleDagRuns(ctx);
    this.enqueue = new EnqueueTaskInstances(ctx);
    this.idleTimeout = idleTimeout;
  }

  /** One pass of every step, at the clock's current instant. */
  public Pass runOnce() {
    Instant now = ctx.clock().instant();
    int recovered = 0;
    if (lastDetect == null || !now.isBefore(lastDetect.plus(DETECT_EVERY))) {
      recovered = detectStuck.run(now);
      lastDetect = now;
    }
    int created = createDagRuns.run(now);
    int started = startQueuedRuns.run(now);
    ScheduleDagRuns.Result examined = scheduleDagRuns.run(now);
    int queued = enqueue.run(now);
    return new Pass(
        created,
        started,
        examined.changes(),
        examined.runsFinished(),
        queued,
        examined.nextCheckAt());
  }

  /** Runs passes until {@link #stop()}; a pass that did work is followed at once by another. */
  public void run() {
    while (!stopping) {
      try {
        Pass pass = runOnce();
        if (!pass.didWork()) {
          ctx.wakeup().await(sleepFor(pass.nextCheckAt()));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        errors++;
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

  private Duration sleepFor(Instant nextCheckAt) {
    if (nextCheckAt == null) {
      return idleTimeout;
    }
    Duration until = Duration.between(ctx.clock().instant(), nextCheckAt);
    return until.isNegative()
        ? Duration.ZERO
        : until.compareTo(idleTimeout) < 0 ? until : idleTimeout;
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
