package io.updraft.worker.operators;

import io.updraft.sensors.Condition;
import io.updraft.sensors.ExternalStates;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the in-JVM operators reach outside the try besides its connections (which come with the
 * try's request, so that what they reveal is masked in its log): the DAG runs {@code trigger_dag}
 * creates and reads, and the states of other DAGs' tasks and runs a sensor's {@code external_task}
 * condition reads. A worker on the metadata database gives them; {@link #none()} does not ({@code
 * tasks test}, tests of other operators).
 *
 * @param external answers {@code external_task} conditions; {@link #NO_EXTERNAL_STATES} (every DAG
 *     unknown, so such a sensor waits and says so) where no database is reached. The wiring point
 *     for the metadata database's implementation is {@code WorkerTryRunner.onDatabase}.
 */
public record OperatorServices(DagRuns dagRuns, ExternalStates external) {

  /** Knows no DAG: an {@code external_task} condition keeps waiting ("DAG x is not stored"). */
  public static final ExternalStates NO_EXTERNAL_STATES =
      conditions -> {
        Map<Condition.ExternalTask, ExternalStates.Answer> m = new HashMap<>();
        conditions.forEach(c -> m.put(c, ExternalStates.Answer.UNKNOWN_DAG));
        return m;
      };

  public OperatorServices {
    Objects.requireNonNull(dagRuns, "dagRuns");
    external = external == null ? NO_EXTERNAL_STATES : external;
  }

  /** Runs for {@code trigger_dag}; no states of other DAGs. */
  public OperatorServices(DagRuns dagRuns) {
    this(dagRuns, null);
  }

  public static OperatorServices none() {
    return new OperatorServices(DagRuns.none());
  }
}
