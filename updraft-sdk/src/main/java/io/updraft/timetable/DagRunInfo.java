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

  public Instant logicalDate() {
    return dataInterval.start();
  }
}
