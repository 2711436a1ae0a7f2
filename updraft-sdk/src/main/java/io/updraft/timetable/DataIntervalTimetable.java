package io.updraft.timetable;

import java.time.Instant;
import java.util.Optional;

/**
 * The shared logic of timetables that schedule data intervals (Airflow's {@code
 * _DataIntervalTimetable}): each run covers [start, end) and is created at {@code end}, and
 * successive intervals are contiguous.
 */
abstract sealed class DataIntervalTimetable implements Timetable
    permits CronDataIntervalTimetable, DeltaDataIntervalTimetable {

  /** The first interval start allowed when catchup is off (Airflow's {@code _skip_to_latest}). */
  abstract Instant skipToLatest(Instant earliest, Instant now);

  /** {@code current} if it is an interval boundary, else the next boundary. */
  abstract Instant alignToNext(Instant current);

  /** {@code current} if it is an interval boundary, else the previous boundary. */
  abstract Instant alignToPrevious(Instant current);

  /** The first boundary strictly after {@code current}. */
  abstract Instant next(Instant current);

  /** The last boundary strictly before {@code current}. */
  abstract Instant previous(Instant current);

  @Override
  public final Optional<DagRunInfo> nextDagRunInfo(
      DataInterval lastAutomated, TimeRestriction restriction, Instant now) {
    Instant earliest = restriction.earliest();
    if (!restriction.catchup()) {
      earliest = skipToLatest(earliest, now);
    } else if (earliest != null) {
      earliest = alignToNext(earliest);
    }
    Instant start;
    if (lastAutomated == null) {
      if (earliest == null) {
        return Optional.empty(); // no start date: nothing to count intervals from
      }
      start = earliest;
    } else {
      // Aligning matters when the schedule changed since the last run.
      start = alignToPrevious(lastAutomated.end());
      if (earliest != null && earliest.isAfter(start)) {
        start = earliest; // catchup off, or a start date moved into the future
      }
    }
    if (restriction.latest() != null && start.isAfter(restriction.latest())) {
      return Optional.empty();
    }
    return Optional.of(DagRunInfo.interval(start, next(start)));
  }

  @Override
  public final boolean periodic() {
    return true;
  }
}
