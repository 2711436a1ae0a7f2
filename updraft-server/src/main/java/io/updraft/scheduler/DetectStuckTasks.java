package io.updraft.scheduler;

import io.updraft.callbacks.CallbackRequests;
import io.updraft.dag.Dag;
import io.updraft.dag.Task;
import io.updraft.metrics.TaskMetrics;
import io.updraft.store.DagRunRow;
import io.updraft.store.JobType;
import io.updraft.store.StuckTaskInstances;
import io.updraft.store.TaskInstanceRow;
import io.updraft.store.TaskInstanceTries;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 5's detectors, so that no task instance stays stuck (DESIGN: "every non-final state has an
 * owner with a heartbeat or a timeout that moves it on"):
 *
 * <ul>
 *   <li>a running (or restarting) try whose heartbeat is older than {@code
 *       task_instance_heartbeat_timeout} lost its worker (killed, crashed, the machine died): it
 *       fails, and is retried if it has tries left — Airflow's zombie detection;
 *   <li>a scheduler whose job heartbeat is older than {@code scheduler_health_check_threshold} is
 *       dead (kill -9, a lost machine): its job is ended as failed, and what it had queued goes
 *       back to scheduled at once — Airflow's orphan reset;
 *   <li>a remote worker whose job heartbeat is older than that threshold is dead too: its job is
 *       ended as failed, so the workers list and health are right with no other worker alive to
 *       notice (its tries are failed by their own heartbeats, above — decisions/0169);
 *   <li>an instance queued longer than {@code task_queued_timeout} was never picked up: it goes
 *       back to scheduled and will be queued again.
 * </ul>
 */
final class DetectStuckTasks {
  private static final Logger log = LoggerFactory.getLogger(DetectStuckTasks.class);
  private static final int LIMIT = 256;

  private final SchedulerContext ctx;
  private final StuckTaskInstances stuck;
  private final TaskInstanceTries tries;
  private final Duration heartbeatTimeout;
  private final Duration healthThreshold;
  private final Duration queuedTimeout;

  DetectStuckTasks(SchedulerContext ctx, SchedulerLoop.Timeouts timeouts) {
    this.ctx = ctx;
    this.stuck = new StuckTaskInstances(ctx.database());
    this.tries = new TaskInstanceTries(ctx.database());
    this.heartbeatTimeout = timeouts.taskHeartbeat();
    this.healthThreshold = timeouts.schedulerHealth();
    this.queuedTimeout = timeouts.queued();
  }

  /** Returns how many task instances it moved on. */
  int run(Instant now) {
    int moved = 0;
    Instant staleBefore = now.minus(heartbeatTimeout);
    for (TaskInstanceRow ti : stuck.staleRunning(staleBefore, LIMIT)) {
      moved += failLostTry(ti, now, staleBefore) ? 1 : 0;
    }
    int dead = ctx.jobs().failStale(JobType.SCHEDULER, now.minus(healthThreshold), now);
    if (dead > 0) {
      log.warn("{} scheduler(s) without heartbeat for {}: taken for dead", dead, healthThreshold);
    }
    int deadWorkers = ctx.jobs().failStale(JobType.WORKER, now.minus(healthThreshold), now);
    if (deadWorkers > 0) {
      log.warn(
          "{} remote worker(s) without heartbeat for {}: taken for dead",
          deadWorkers,
          healthThreshold);
    }
    List<Long> orphans = stuck.orphanedQueued(LIMIT).stream().map(TaskInstanceRow::id).toList();
    if (!orphans.isEmpty()) {
      int requeued = stuck.resetToScheduled(orphans, now).size();
      log.warn("{} task instance(s) queued by a scheduler that ended: rescheduled", requeued);
      moved += requeued;
    }
    List<Long> stuckQueued =
        stuck.stuckQueued(now.minus(queuedTimeout), LIMIT).stream()
            .map(TaskInstanceRow::id)
            .toList();
    if (!stuckQueued.isEmpty()) {
      int requeued = stuck.resetToScheduled(stuckQueued, now).size();
      log.warn("{} task instance(s) queued longer than {}: rescheduled", requeued, queuedTimeout);
      moved += requeued;
    }
    return moved;
  }

  private boolean failLostTry(TaskInstanceRow ti, Instant now, Instant staleBefore) {
    DagRunRow run = ctx.runs().get(ti.dagId(), ti.runId()).orElse(null);
    if (run == null) {
      return false;
    }
    Dag dag = ctx.versions().get(run.dagId(), run.dagHash());
    Task task = dag.task(ti.taskId()).orElse(null);
    if (task == null) {
      return false;
    }
    FailedTries.Ending end = FailedTries.of(task, ti, now, run.logicalDate());
    boolean changed =
        ctx.database()
            .inTransaction(
                () -> {
                  // Guarded by the heartbeat too: one that landed since the read keeps the try.
                  if (!tries.finishLost(ti, end.state(), now, end.nextRetryAt(), staleBefore)) {
                    return false;
                  }
                  ctx.callbacks()
                      .add(
                          CallbackRequests.forTask(
                              ti.dagId(),
                              ti.runId(),
                              task,
                              ti.tryNumber(),
                              ti.state(),
                              end.state(),
                              "the task's heartbeat stopped (no heartbeat since "
                                  + ti.lastHeartbeatAt()
                                  + ")"),
                          now);
                  return true;
                });
    if (changed) {
      TaskMetrics.finished(ti.dagId(), ti.taskId(), end.state());
      log.warn(
          "{}.{} in {} try {}: no heartbeat since {} (timeout {}): {}",
          ti.dagId(),
          ti.taskId(),
          ti.runId(),
          ti.tryNumber(),
          ti.lastHeartbeatAt(),
          heartbeatTimeout,
          end.state().id());
    }
    return changed;
  }
}
