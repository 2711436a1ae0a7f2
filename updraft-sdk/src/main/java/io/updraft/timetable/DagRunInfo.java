package io.updraft.timetable;

import java.time.Instant;
import java.util.Objects;

/**
 * A run a timetable wants created: its data interval and the earliest moment it may be created. The
 * logical date is the interval's start, as in Airflow.
 */
public record DagRunInfo(Instant runAfter, DataInterval dataInterval) {
  public DagRunInfo {
    Objects.requireNonNull(runAfter, "runAfter");
    Objects.requireNonNull(dataInterval, "dataInterval");
  }

  /** A run for [start, end), created at {@code end} (Airflow's {@code DagRunInfo.interval}). */
  public static DagRunInfo interval(Instant start, Instant end) {
    return new DagRunInfo(end, new DataInterval(start, end));
  }

  /** A run whose interval is the single instant {@code at}, created then. */
  public static DagRunInfo exact(Instant at) {
    return new DagRunInfo(at, DataInterval.exact(at));
  }

  public Instant logicalDate() {
    return dataInterval.start();
  }
}
