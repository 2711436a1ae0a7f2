package io.updraft.timetable;

import java.time.Instant;
import java.util.Optional;

/**
 * {@code schedule: "@continuous"}: a new run as soon as the previous one is done, never before the
 * start date (Airflow's {@code ContinuousTimetable}; the one-active-run limit is the scheduler's
 * job). Each run's data interval reaches from the previous run's end to {@code now}.
 */
public record ContinuousTimetable() implements Timetable {

  /** Airflow's {@code active_runs_limit}: continuous DAGs run one at a time. */
  public static final int ACTIVE_RUNS_LIMIT = 1;

  @Override
  public Optional<DagRunInfo> nextDagRunInfo(
      DataInterval lastAutomated, TimeRestriction restriction, Instant now) {
    if (restriction.earliest() == null) {
      return Optional.empty(); // no start date, never runs
    }
    Instant start;
    Instant end;
    if (lastAutomated != null) {
      start = lastAutomated.end();
      end = now;
    } else {
      start = restriction.earliest();
      end = now.isAfter(start) ? now : start;
    }
    if (restriction.latest() != null && end.isAfter(restriction.latest())) {
      return Optional.empty();
    }
    if (end.isBefore(start)) {
      end = start; // a last run ending after now (clock skew) must not give a negative interval
    }
    return Optional.of(DagRunInfo.interval(start, end));
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
    return "@continuous";
  }
}
