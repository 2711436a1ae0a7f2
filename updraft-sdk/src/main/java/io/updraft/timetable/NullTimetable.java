package io.updraft.timetable;

import java.time.Instant;
import java.util.Optional;

/** {@code schedule: null}: no automated runs, only triggered ones (Airflow's NullTimetable). */
public record NullTimetable() implements Timetable {

  @Override
  public Optional<DagRunInfo> nextDagRunInfo(
      DataInterval lastAutomated, TimeRestriction restriction, Instant now) {
    return Optional.empty();
  }

  @Override
  public DataInterval inferManualDataInterval(Instant runAfter) {
    return DataInterval.exact(runAfter);
  }

  @Override
  public boolean periodic() {
    return false;
  }

  /** Airflow shows {@code None}. */
  @Override
  public String summary() {
    return "None";
  }
}
