package io.updraft.store;

import io.updraft.state.TaskInstanceState;
import java.util.List;

/**
 * Which task instances a list shows (the API's task instance list filters); null: any.
 *
 * @param dagId one DAG's; null: every DAG's (the API's {@code ~})
 * @param runId one run's; null: every run's (the API's {@code ~})
 * @param states any of these states ({@link TaskInstanceState#NONE} for none); empty: any
 */
public record TaskInstanceFilter(
    String dagId,
    String runId,
    String taskId,
    List<TaskInstanceState> states,
    String pool,
    String queue) {
  public TaskInstanceFilter {
    states = states == null ? List.of() : List.copyOf(states);
  }
}
