package io.updraft.callbacks;

import io.updraft.dag.Callbacks;
import io.updraft.dag.Dag;
import io.updraft.dag.Notifier;
import io.updraft.dag.Task;
import io.updraft.state.DagRunState;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.CallbackRequestRepository.NewCallback;
import java.util.ArrayList;
import java.util.List;

/**
 * Which state change writes which callback rows: pure, so the truth table is a unit test. As in
 * Airflow, only what a try does calls a task's callbacks — a task the scheduler skips or marks
 * upstream_failed runs none:
 *
 * <table>
 *   <caption>task instance changes</caption>
 *   <tr><th>from</th><th>to</th><th>event</th></tr>
 *   <tr><td>queued</td><td>running</td><td>on_execute</td></tr>
 *   <tr><td>running</td><td>success</td><td>on_success</td></tr>
 *   <tr><td>running</td><td>failed</td><td>on_failure</td></tr>
 *   <tr><td>running</td><td>up_for_retry</td><td>on_retry</td></tr>
 *   <tr><td>running</td><td>skipped</td><td>on_skipped (the try skipped itself)</td></tr>
 * </table>
 *
 * <p>A try that the triggerer ends (from {@code deferred}) calls the same callbacks as one that
 * ends running: the try goes on in the triggerer.
 *
 * <p>A run going success or failed calls the DAG's {@code on_success} or {@code on_failure}.
 */
public final class CallbackRequests {
  private CallbackRequests() {}

  /** The task event a change of a task instance causes, or null. */
  public static String taskEvent(TaskInstanceState from, TaskInstanceState to) {
    if (from == TaskInstanceState.QUEUED && to == TaskInstanceState.RUNNING) {
      return Callbacks.ON_EXECUTE;
    }
    if (from != TaskInstanceState.RUNNING && from != TaskInstanceState.DEFERRED) {
      return null;
    }
    return switch (to) {
      case SUCCESS -> Callbacks.ON_SUCCESS;
      case FAILED -> Callbacks.ON_FAILURE;
      case UP_FOR_RETRY -> Callbacks.ON_RETRY;
      case SKIPPED -> Callbacks.ON_SKIPPED;
      default -> null;
    };
  }

  /** The DAG event a run's change to {@code to} causes, or null. */
  public static String runEvent(DagRunState to) {
    return switch (to) {
      case SUCCESS -> Callbacks.ON_SUCCESS;
      case FAILED -> Callbacks.ON_FAILURE;
      default -> null;
    };
  }

  /**
   * The callback rows of a task instance's change, one per notifier; empty for most.
   *
   * @param reason the failure's message (Airflow's exception), or null
   */
  public static List<NewCallback> forTask(
      String dagId,
      String runId,
      Task task,
      int tryNumber,
      TaskInstanceState from,
      TaskInstanceState to,
      String reason) {
    String event = taskEvent(from, to);
    if (event == null || task.callbacks().isEmpty()) {
      return List.of();
    }
    return rows(dagId, runId, task.taskId(), tryNumber, event, task.callbacks().of(event), reason);
  }

  /** The callback rows of a run's end. */
  public static List<NewCallback> forRun(Dag dag, String runId, DagRunState to, String reason) {
    String event = runEvent(to);
    if (event == null || dag.callbacks().isEmpty()) {
      return List.of();
    }
    return rows(dag.dagId(), runId, null, 0, event, dag.callbacks().of(event), reason);
  }

  /** The rows of a run's missed deadline. */
  public static List<NewCallback> forDeadline(
      String dagId, String runId, List<Notifier> callback, String reason) {
    return rows(dagId, runId, null, 0, "deadline", callback, reason);
  }

  private static List<NewCallback> rows(
      String dagId,
      String runId,
      String taskId,
      int tryNumber,
      String event,
      List<Notifier> notifiers,
      String reason) {
    List<NewCallback> out = new ArrayList<>(notifiers.size());
    for (Notifier n : notifiers) {
      out.add(
          new NewCallback(
              dagId, runId, taskId, -1, tryNumber, event, NotifierJson.write(n), reason));
    }
    return out;
  }
}
