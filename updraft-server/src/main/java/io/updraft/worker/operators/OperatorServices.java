package io.updraft.worker.operators;

import io.updraft.connections.ConnectionLookup;
import java.util.Objects;

/**
 * What the in-JVM operators reach outside the try: connections ({@code conn:}) and DAG runs ({@code
 * trigger_dag}). A worker on the metadata database gives both; {@link #none()} gives neither (tests
 * of other operators, {@code tasks test} without a database).
 */
public record OperatorServices(ConnectionLookup connections, DagRuns dagRuns) {

  public OperatorServices {
    Objects.requireNonNull(connections, "connections");
    Objects.requireNonNull(dagRuns, "dagRuns");
  }

  public static OperatorServices none() {
    return new OperatorServices(ConnectionLookup.none(), DagRuns.none());
  }

  public OperatorServices withConnections(ConnectionLookup lookup) {
    return new OperatorServices(lookup, dagRuns);
  }
}
