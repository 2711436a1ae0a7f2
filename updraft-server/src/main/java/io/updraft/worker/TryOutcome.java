package io.updraft.worker;

import io.updraft.state.TaskInstanceState;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * The result of one try of one task instance.
 *
 * @param state {@link TaskInstanceState#SUCCESS}, {@link TaskInstanceState#FAILED} or {@link
 *     TaskInstanceState#SKIPPED}; what to do next (retry or not) is the supervisor's decision
 * @param failure why it failed; {@link FailureKind#NONE} unless failed
 * @param error a one-line message for a failed try, also written to the log; null otherwise
 * @param returnValue the XCom {@code return_value} to store (text for shell tasks); null: none
 * @param exitCode the process's exit code; null when no process ran
 * @param logPath the try's log file; null only if even the log could not be opened
 * @param downstream what the downstream tasks should do (branch / short_circuit)
 * @param pause set when the try ended without finishing its task instance (a reschedule, a
 *     deferral); {@code state} is then {@link TaskInstanceState#UP_FOR_RESCHEDULE} or {@link
 *     TaskInstanceState#DEFERRED}
 */
public record TryOutcome(
    TaskInstanceState state,
    FailureKind failure,
    String error,
    Object returnValue,
    Integer exitCode,
    Instant start,
    Instant end,
    Path logPath,
    Downstream downstream,
    Pause pause) {

  public TryOutcome {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(failure, "failure");
    downstream = downstream == null ? Downstream.PROCEED : downstream;
  }

  /** An outcome that finishes its task instance (no pause). */
  public TryOutcome(
      TaskInstanceState state,
      FailureKind failure,
      String error,
      Object returnValue,
      Integer exitCode,
      Instant start,
      Instant end,
      Path logPath,
      Downstream downstream) {
    this(state, failure, error, returnValue, exitCode, start, end, logPath, downstream, null);
  }
}
