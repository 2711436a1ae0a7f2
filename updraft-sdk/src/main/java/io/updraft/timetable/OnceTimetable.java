package io.updraft.timetable;

import java.time.Instant;
import java.util.Optional;

/**
 * {@code schedule: "@once"}: one run at the start date, whatever catchup says (Airflow's {@code
 * OnceTimetable}).
 */
public record OnceTimetable() implements Timetable {

  @Override
  public Optional<DagRunInfo> nextDagRunInfo(
      DataInterval lastAutomated, TimeRestriction restriction, Instant now) {
    if (lastAutomated != null || restriction.earliest() == null) {
      return Optional.empty(); // already ran, or no start date to run at
    }
    Instant runAt = restriction.earliest();
    if (restriction.latest() != null && runAt.isAfter(restriction.latest())) {
      return Optional.empty();
    }
    return Optional.of(DagRunInfo.exact(runAt));
  }

  @Override
  public DataInterval inferManualDataInterval(Instant runAfter) {
    return DataInterval.exact(runAfter);
  }

  @Override
  public boolean periodic() {
    return false;
  }

  @Override
  public String summary() {
    return "@once";
  }
}
