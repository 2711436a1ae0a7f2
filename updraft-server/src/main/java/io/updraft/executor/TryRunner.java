package io.updraft.executor;

import io.updraft.dag.Dag;
import io.updraft.dag.Task;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.DagRunRow;
import io.updraft.store.TaskInstanceRow;
import io.updraft.worker.Cancellation;
import io.updraft.worker.Downstream;
import io.updraft.worker.Pause;
import io.updraft.worker.StartGate;
import java.util.concurrent.CompletableFuture;

/**
 * Runs one try of one task instance and says how it ended; the supervisor does everything around it
 * (start, heartbeats, recording the outcome). Implementations run the operator: a process for
 * {@code shell}, in-JVM code for built-ins.
 */
@FunctionalInterface
public interface TryRunner {

  /**
   * @param ti the instance as started: its {@code tryNumber} is this try's (1-based)
   * @param fileloc the DAG file the run's version was read from; null if unknown
   * @param cancel completed, with the reason, when the try must stop at once: its task instance is
   *     no longer running (cleared, marked, skipped by the run's timeout), or the scheduler is
   *     stopping (then with its shutdown grace). A runner of a process kills it; one that cannot
   *     stop early may ignore it, as its outcome is then not recorded
   * @param startGate asked right before the try starts its process or operator: is the try still
   *     this executor's (decisions/0172)? Open when null
   */
  record Request(
      Dag dag,
      Task task,
      DagRunRow run,
      TaskInstanceRow ti,
      String fileloc,
      CompletableFuture<Cancellation> cancel,
      StartGate startGate) {
    public Request {
      startGate = startGate == null ? StartGate.open() : startGate;
    }

    /** A request whose try starts unasked. */
    public Request(
        Dag dag,
        Task task,
        DagRunRow run,
        TaskInstanceRow ti,
        String fileloc,
        CompletableFuture<Cancellation> cancel) {
      this(dag, task, run, ti, fileloc, cancel, null);
    }
  }

  /**
   * @param state success, failed or skipped (retries are the supervisor's business)
   * @param returnValueJson the try's return value as JSON (XCom {@code return_value}); null: none
   * @param error why it failed, one line; null otherwise
   * @param downstream what a successful {@code branch} or {@code short_circuit} asks of the tasks
   *     after it
   * @param pause set when the try ended without finishing its instance (reschedule, deferral);
   *     {@code state} is then up_for_reschedule or deferred
   * @param retryable whether a failed try may be retried (false: a sensor's timeout)
   */
  record Result(
      TaskInstanceState state,
      String returnValueJson,
      String error,
      Downstream downstream,
      Pause pause,
      boolean retryable) {
    public Result {
      downstream = downstream == null ? Downstream.PROCEED : downstream;
    }

    /** A result that finishes the instance, or pauses it. */
    public Result(
        TaskInstanceState state,
        String returnValueJson,
        String error,
        Downstream downstream,
        Pause pause) {
      this(state, returnValueJson, error, downstream, pause, true);
    }

    /** A result that finishes the instance. */
    public Result(
        TaskInstanceState state, String returnValueJson, String error, Downstream downstream) {
      this(state, returnValueJson, error, downstream, null);
    }

    /** A failed try that is not retried, whatever retries are left (a sensor's timeout). */
    public static Result failedWithoutRetry(String error) {
      return new Result(TaskInstanceState.FAILED, null, error, Downstream.PROCEED, null, false);
    }

    /** A try that paused: {@link Pause.Reschedule} or {@link Pause.Defer}. */
    public static Result paused(Pause pause) {
      TaskInstanceState state =
          pause instanceof Pause.Reschedule
              ? TaskInstanceState.UP_FOR_RESCHEDULE
              : TaskInstanceState.DEFERRED;
      return new Result(state, null, null, Downstream.PROCEED, pause);
    }

    public static Result success(String returnValueJson) {
      return new Result(TaskInstanceState.SUCCESS, returnValueJson, null, Downstream.PROCEED);
    }

    public static Result failed(String error) {
      return new Result(TaskInstanceState.FAILED, null, error, Downstream.PROCEED);
    }
  }

  /** Runs the try to its end; throwing counts as a failed try. */
  Result run(Request request) throws Exception;
}
