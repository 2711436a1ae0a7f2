package io.updraft.worker.operators;

import java.util.Objects;

/**
 * What the in-JVM operators reach outside the try besides its connections (which come with the
 * try's request, so that what they reveal is masked in its log): the DAG runs {@code trigger_dag}
 * creates and reads. A worker on the metadata database gives them; {@link #none()} does not ({@code
 * tasks test}, tests of other operators).
 */
public record OperatorServices(DagRuns dagRuns) {

  public OperatorServices {
    Objects.requireNonNull(dagRuns, "dagRuns");
  }

  public static OperatorServices none() {
    return new OperatorServices(DagRuns.none());
  }
}
