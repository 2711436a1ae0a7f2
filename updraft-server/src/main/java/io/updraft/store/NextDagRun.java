package io.updraft.store;

import java.time.Instant;
import java.util.Objects;

/**
 * The next run the scheduler will create for a DAG: the {@code next_dagrun*} columns of {@code
 * dag}.
 *
 * @param logicalDate {@code next_dagrun}
 * @param dataIntervalStart may be null for timetables without data intervals
 * @param dataIntervalEnd may be null for timetables without data intervals
 * @param createAfter {@code next_dagrun_create_after}: the run is created once this has passed
 */
public record NextDagRun(
    Instant logicalDate, Instant dataIntervalStart, Instant dataIntervalEnd, Instant createAfter) {
  public NextDagRun {
    Objects.requireNonNull(createAfter, "createAfter");
  }
}
