package io.updraft.store;

import io.updraft.state.DagRunState;
import java.time.Instant;
import java.util.List;

/**
 * Which runs a list shows (the API's run list filters); every bound inclusive, null: none.
 *
 * @param dagId one DAG's runs; null: every DAG's (the API's {@code ~})
 * @param states any of these states; empty: any state
 */
public record RunFilter(
    String dagId,
    List<DagRunState> states,
    Instant logicalFrom,
    Instant logicalTo,
    Instant startFrom,
    Instant startTo,
    Instant runAfterFrom,
    Instant runAfterTo) {
  public RunFilter {
    states = states == null ? List.of() : List.copyOf(states);
  }

  /** Every run of one DAG (null: of every DAG). */
  public static RunFilter of(String dagId) {
    return new RunFilter(dagId, List.of(), null, null, null, null, null, null);
  }
}
