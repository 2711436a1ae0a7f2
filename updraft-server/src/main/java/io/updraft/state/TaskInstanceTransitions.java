package io.updraft.state;

import static io.updraft.state.TaskInstanceState.DEFERRED;
import static io.updraft.state.TaskInstanceState.FAILED;
import static io.updraft.state.TaskInstanceState.NONE;
import static io.updraft.state.TaskInstanceState.QUEUED;
import static io.updraft.state.TaskInstanceState.REMOVED;
import static io.updraft.state.TaskInstanceState.RESTARTING;
import static io.updraft.state.TaskInstanceState.RUNNING;
import static io.updraft.state.TaskInstanceState.SCHEDULED;
import static io.updraft.state.TaskInstanceState.SKIPPED;
import static io.updraft.state.TaskInstanceState.SUCCESS;
import static io.updraft.state.TaskInstanceState.UPSTREAM_FAILED;
import static io.updraft.state.TaskInstanceState.UP_FOR_RESCHEDULE;
import static io.updraft.state.TaskInstanceState.UP_FOR_RETRY;

/**
 * The one table of allowed task instance state changes. Every write of a task instance state goes
 * through {@link #check}. The rows are what Airflow 2.10 actually does, grouped by who does it:
 *
 * <ul>
 *   <li><b>Scheduler, scheduling</b> ({@code DagRun.task_instance_scheduling_decisions}): only
 *       none, up_for_retry and up_for_reschedule are "schedulable". Their dependencies met, they
 *       become scheduled; a task that needs no worker (the {@code empty} operator) goes straight to
 *       success. Trigger rules evaluated with {@code flag_upstream_failed} move them to
 *       upstream_failed or skipped instead.
 *   <li><b>Scheduler, critical section</b>: scheduled to queued when a pool slot is free.
 *   <li><b>Worker</b> (task runner): queued to running; running to success, failed, up_for_retry (a
 *       failure with tries left, or a try a stopping scheduler ended and hands back), skipped (the
 *       task asked to be skipped, e.g. the shell skip exit code), up_for_reschedule (a
 *       reschedule-mode sensor), deferred (handed to the triggerer). A worker that finds its limits
 *       reached at start puts a queued task back to none.
 *   <li><b>Executor events</b>: the executor reports a try finished while the row still says queued
 *       (the worker died before starting): handled as a failure, so queued to failed or
 *       up_for_retry.
 *   <li><b>Stuck-state detectors</b>: a task queued longer than the queued timeout goes back to
 *       scheduled (failed after too many such returns); a running or restarting task whose
 *       heartbeat stopped (zombie) is handled as a failure, to up_for_retry or failed; orphaned
 *       queued or running tasks of a dead scheduler that no executor adopts are reset to none.
 *   <li><b>Triggerer</b>: a deferred task whose trigger fired, failed or timed out goes back to
 *       scheduled (to resume or fail on a worker); since 2.10 a trigger may also end the task
 *       directly as success, failed or skipped. Updraft's sensors go further: the scheduler defers
 *       a ready {@code defer}-mode sensor itself (scheduled to deferred, no worker), and the
 *       triggerer ends its try, to up_for_retry too when its checks keep erroring.
 *   <li><b>Retry and reschedule</b>: up_for_retry and up_for_reschedule become scheduled once their
 *       time has come (rows of the scheduling group).
 *   <li><b>Clearing</b> ({@code clear_task_instances}): a running task becomes restarting (its
 *       worker kills it; the kill is handled as a failure that is always eligible for retry, so
 *       restarting goes to up_for_retry); every other state becomes none.
 *   <li><b>User marks</b> (UI, REST API, CLI: mark success / failed / skipped, also the effect of
 *       marking a whole run failed) and <b>DAG run timeout</b> (unfinished tasks become skipped):
 *       any state but removed may be set to success, failed or skipped.
 *   <li><b>DAG changes</b> ({@code DagRun.verify_integrity}): a task deleted from the DAG makes its
 *       task instances removed whatever their state; a removed task that comes back is restored to
 *       none.
 * </ul>
 *
 * <p>Left out on purpose, because Updraft has no such feature yet: starting a task directly in the
 * triggerer (2.10 {@code start_from_trigger}: none to deferred), dynamic task mapping (upstream
 * removed to removed), running a single task from the UI ignoring dependencies (none to queued).
 * Add rows here when those features arrive.
 */
public final class TaskInstanceTransitions {
  private TaskInstanceTransitions() {}

  private static final String SCHEDULE = "scheduler: dependencies met";
  private static final String EMPTY =
      "scheduler: dependencies met and the task needs no worker (empty operator); or a user mark";
  private static final String UPSTREAM_FAILED_RULE = "scheduler: trigger rule -> upstream_failed";
  private static final String SKIP_RULE =
      "scheduler: trigger rule -> skipped; DAG run timeout; user marks skipped";
  private static final String MARK_SUCCESS = "user marks success";
  private static final String MARK_FAILED = "user marks failed (or marks the DAG run failed)";
  private static final String MARK_SKIPPED = "user marks skipped; DAG run timeout";
  private static final String CLEAR = "user clears the task instance";
  private static final String REMOVE = "task deleted from the DAG";

  /** The table. */
  public static final Transitions<TaskInstanceState> TABLE =
      Transitions.builder(TaskInstanceState.class, "task instance", TaskInstanceState::id)
          // from none: a fresh or cleared task instance
          .allow(NONE, SCHEDULED, SCHEDULE)
          .allow(NONE, UPSTREAM_FAILED, UPSTREAM_FAILED_RULE)
          .allow(NONE, SKIPPED, SKIP_RULE)
          .allow(NONE, SUCCESS, EMPTY)
          .allow(NONE, FAILED, MARK_FAILED)
          .allow(NONE, REMOVED, REMOVE)
          // from scheduled
          .allow(SCHEDULED, QUEUED, "scheduler critical section: a slot is free")
          .allow(
              SCHEDULED,
              DEFERRED,
              "scheduler: a defer-mode sensor starts its try in the triggerer, no slot taken")
          .allow(SCHEDULED, NONE, CLEAR)
          .allow(SCHEDULED, SUCCESS, MARK_SUCCESS)
          .allow(SCHEDULED, FAILED, MARK_FAILED)
          .allow(SCHEDULED, SKIPPED, MARK_SKIPPED)
          .allow(SCHEDULED, REMOVED, REMOVE)
          // from queued
          .allow(QUEUED, RUNNING, "worker starts the try")
          .allow(QUEUED, SCHEDULED, "queued longer than the queued timeout: rescheduled")
          .allow(
              QUEUED,
              NONE,
              "clear; orphan reset (no executor adopted it); worker found limits reached at start")
          .allow(
              QUEUED,
              FAILED,
              "executor says the try ended while still queued, no retry left; stuck in queued too"
                  + " often; user marks failed")
          .allow(QUEUED, UP_FOR_RETRY, "executor says the try ended while still queued, retry left")
          .allow(QUEUED, SUCCESS, MARK_SUCCESS)
          .allow(QUEUED, SKIPPED, MARK_SKIPPED)
          .allow(QUEUED, REMOVED, REMOVE)
          // from running
          .allow(RUNNING, SUCCESS, "worker: the try succeeded; user marks success")
          .allow(RUNNING, FAILED, "worker or zombie detector: failed, no retry left; user mark")
          .allow(
              RUNNING,
              UP_FOR_RETRY,
              "worker or zombie detector: failed, retry left; a stopping scheduler hands its try"
                  + " back")
          .allow(RUNNING, SKIPPED, "worker: the task asked to be skipped; DAG run timeout; mark")
          .allow(RUNNING, UP_FOR_RESCHEDULE, "worker: a reschedule-mode sensor will poke again")
          .allow(RUNNING, DEFERRED, "worker: the task deferred to the triggerer")
          .allow(RUNNING, RESTARTING, "user clears a running task: its worker must kill it")
          .allow(RUNNING, NONE, "orphan reset: its scheduler died and no executor adopted it")
          .allow(RUNNING, REMOVED, REMOVE)
          // from up_for_retry
          .allow(UP_FOR_RETRY, SCHEDULED, SCHEDULE + " and the retry delay passed")
          .allow(UP_FOR_RETRY, UPSTREAM_FAILED, UPSTREAM_FAILED_RULE + " (upstream was cleared)")
          .allow(UP_FOR_RETRY, SKIPPED, SKIP_RULE)
          .allow(UP_FOR_RETRY, SUCCESS, EMPTY)
          .allow(UP_FOR_RETRY, FAILED, MARK_FAILED)
          .allow(UP_FOR_RETRY, NONE, CLEAR)
          .allow(UP_FOR_RETRY, REMOVED, REMOVE)
          // from up_for_reschedule
          .allow(UP_FOR_RESCHEDULE, SCHEDULED, SCHEDULE + " and the reschedule date passed")
          .allow(UP_FOR_RESCHEDULE, UPSTREAM_FAILED, UPSTREAM_FAILED_RULE + " (upstream cleared)")
          .allow(UP_FOR_RESCHEDULE, SKIPPED, SKIP_RULE)
          .allow(UP_FOR_RESCHEDULE, SUCCESS, EMPTY)
          .allow(UP_FOR_RESCHEDULE, FAILED, MARK_FAILED)
          .allow(UP_FOR_RESCHEDULE, NONE, CLEAR)
          .allow(UP_FOR_RESCHEDULE, REMOVED, REMOVE)
          // from deferred
          .allow(DEFERRED, SCHEDULED, "triggerer: trigger fired, failed or timed out; resume")
          .allow(DEFERRED, SUCCESS, "triggerer: trigger ended the task (2.10); user mark")
          .allow(DEFERRED, FAILED, "triggerer: trigger ended the task (2.10); user mark")
          .allow(DEFERRED, SKIPPED, "triggerer: trigger ended the task (2.10); run timeout; mark")
          .allow(
              DEFERRED,
              UP_FOR_RETRY,
              "triggerer: a sensor's checks kept erroring and it has retries left")
          .allow(DEFERRED, NONE, CLEAR)
          .allow(DEFERRED, REMOVED, REMOVE)
          // from restarting: cleared while running, its worker is killing it
          .allow(RESTARTING, UP_FOR_RETRY, "worker killed or zombie: restarting always retries")
          .allow(RESTARTING, NONE, CLEAR + " again")
          .allow(RESTARTING, SUCCESS, MARK_SUCCESS)
          .allow(RESTARTING, FAILED, MARK_FAILED)
          .allow(RESTARTING, SKIPPED, MARK_SKIPPED)
          .allow(RESTARTING, REMOVED, REMOVE)
          // from the finished states: only users (clear, mark) and DAG changes move them
          .allow(SUCCESS, NONE, CLEAR)
          .allow(SUCCESS, FAILED, MARK_FAILED)
          .allow(SUCCESS, SKIPPED, MARK_SKIPPED)
          .allow(SUCCESS, REMOVED, REMOVE)
          .allow(FAILED, NONE, CLEAR)
          .allow(FAILED, SUCCESS, MARK_SUCCESS)
          .allow(FAILED, SKIPPED, MARK_SKIPPED)
          .allow(FAILED, REMOVED, REMOVE)
          .allow(SKIPPED, NONE, CLEAR)
          .allow(SKIPPED, SUCCESS, MARK_SUCCESS)
          .allow(SKIPPED, FAILED, MARK_FAILED)
          .allow(SKIPPED, REMOVED, REMOVE)
          .allow(UPSTREAM_FAILED, NONE, CLEAR)
          .allow(UPSTREAM_FAILED, SUCCESS, MARK_SUCCESS)
          .allow(UPSTREAM_FAILED, FAILED, MARK_FAILED)
          .allow(UPSTREAM_FAILED, SKIPPED, MARK_SKIPPED)
          .allow(UPSTREAM_FAILED, REMOVED, REMOVE)
          .allow(REMOVED, NONE, "the task is back in the DAG (restored), or cleared")
          .build();

  public static boolean isAllowed(TaskInstanceState from, TaskInstanceState to) {
    return TABLE.isAllowed(from, to);
  }

  public static void check(TaskInstanceState from, TaskInstanceState to) {
    TABLE.check(from, to);
  }

  /**
   * @param context the task instance, e.g. {@code dag_id=x run_id=y task_id=z try=2}
   */
  public static void check(TaskInstanceState from, TaskInstanceState to, String context) {
    TABLE.check(from, to, context);
  }
}
