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

  /** The next-run fields for a run a timetable wants created. */
  public static NextDagRun of(io.updraft.timetable.DagRunInfo info) {
    return new NextDagRun(
        info.logicalDate(),
        info.dataInterval().start(),
        info.dataInterval().end(),
        info.runAfter());
  }
}
