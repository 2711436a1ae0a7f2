package io.updraft.worker.template;

import io.updraft.connections.ConnectionLookup;
import io.updraft.connections.VariableLookup;
import io.updraft.timetable.DataInterval;
import io.updraft.worker.XComLookup;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the template context of one try is built from.
 *
 * @param logicalDate the run's logical date (UTC instant)
 * @param dagParams the DAG's {@code params}
 * @param conf the run's conf; empty when the run has none
 * @param tryNumber 1 for the first try
 * @param variables where {@code var.value.x} / {@code var.json.x} read (SPEC §1.7)
 * @param configuration the worker's settings as text, by section and key: what {@code conf}
 *     (Airflow's configuration object) reads; secrets already removed
 * @param previousSuccess the DAG's latest successful run before this one, for {@code
 *     prev_*_success}; none when null
 * @param connections where {@code conn.ID} reads (SPEC §1.7)
 */
public record TryContext(
    String dagId,
    String taskId,
    String operator,
    String owner,
    String runId,
    Instant logicalDate,
    DataInterval dataInterval,
    Map<String, Object> dagParams,
    Map<String, Object> conf,
    int tryNumber,
    XComLookup xcoms,
    VariableLookup variables,
    Map<String, Map<String, String>> configuration,
    PreviousSuccess previousSuccess,
    ConnectionLookup connections) {

  public TryContext {
    Objects.requireNonNull(dagId, "dagId");
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(logicalDate, "logicalDate");
    dataInterval = dataInterval == null ? DataInterval.exact(logicalDate) : dataInterval;
    dagParams = dagParams == null ? Map.of() : dagParams;
    conf = conf == null ? Map.of() : conf;
    xcoms = xcoms == null ? XComLookup.none() : xcoms;
    variables = variables == null ? VariableLookup.none() : variables;
    configuration = configuration == null ? Map.of() : configuration;
    previousSuccess = previousSuccess == null ? PreviousSuccess.none() : previousSuccess;
    connections = connections == null ? ConnectionLookup.none() : connections;
  }

  /** A context whose variables are a fixed map and which has no connections (tests). */
  public TryContext(
      String dagId,
      String taskId,
      String operator,
      String owner,
      String runId,
      Instant logicalDate,
      DataInterval dataInterval,
      Map<String, Object> dagParams,
      Map<String, Object> conf,
      int tryNumber,
      XComLookup xcoms,
      Map<String, String> variables,
      Map<String, Map<String, String>> configuration,
      PreviousSuccess previousSuccess) {
    this(
        dagId,
        taskId,
        operator,
        owner,
        runId,
        logicalDate,
        dataInterval,
        dagParams,
        conf,
        tryNumber,
        xcoms,
        variables == null ? null : (VariableLookup) key -> Optional.ofNullable(variables.get(key)),
        configuration,
        previousSuccess,
        null);
  }
}
