package io.updraft.rules;

import io.updraft.state.TaskInstanceState;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What {@link DependsOnPast} needs to know about the previous DAG run of the same DAG.
 *
 * <p>Which run is "previous" is the caller's query, as in Airflow: with {@code catchup} on, the
 * latest <em>scheduled</em> run with an earlier logical date; with it off, the latest run of any
 * type with an earlier logical date.
 *
 * @param logicalDate the previous run's logical date
 * @param taskState this task's state in that run; null when the run has no task instance of this
 *     task (NONE when it has one that never got a state)
 * @param downstreamStates the states, in that run, of the task instances of this task's direct
 *     downstream tasks (as the current DAG defines them) that exist there; used only by {@code
 *     wait_for_downstream}
 */
public record PastRun(
    Instant logicalDate, TaskInstanceState taskState, List<TaskInstanceState> downstreamStates) {
  public PastRun {
    Objects.requireNonNull(logicalDate, "logicalDate");
    downstreamStates = downstreamStates == null ? List.of() : List.copyOf(downstreamStates);
  }
}
