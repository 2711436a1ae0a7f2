package io.updraft.store;

import io.updraft.state.DagRunState;
import java.time.Instant;
import java.util.Objects;

/**
 * A DAG run to create.
 *
 * @param state queued (the usual start) or running
 * @param logicalDate null for a run without one; unique per DAG otherwise
 * @param dataIntervalStart null: none
 * @param dataIntervalEnd null: none
 * @param runAfter the earliest time the run may start
 * @param conf the run's {@code conf} as JSON; null: none
 * @param dagHash the {@code serialized_dag} version the run executes
 * @param creatingJobId the scheduler job that created it; null when a user triggered it
 */
public record NewDagRun(
    String dagId,
    String runId,
    RunType runType,
    DagRunState state,
    Instant logicalDate,
    Instant dataIntervalStart,
    Instant dataIntervalEnd,
    Instant runAfter,
    String conf,
    String dagHash,
    Long creatingJobId) {
  public NewDagRun {
    Objects.requireNonNull(dagId, "dagId");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(runType, "runType");
    Objects.requireNonNull(runAfter, "runAfter");
    if (state != DagRunState.QUEUED && state != DagRunState.RUNNING) {
      throw new IllegalArgumentException(
          "a new DAG run starts queued or running, not " + state + " (dag_id=" + dagId + ")");
    }
  }
}
