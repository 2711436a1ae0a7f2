package io.updraft.timetable;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/**
 * {@code schedule: <cron>}: data intervals between successive cron times, each run created at its
 * interval's end (Airflow's {@code CronDataIntervalTimetable}).
 */
public final class CronDataIntervalTimetable extends DataIntervalTimetable {
  private final ZonedCron cron;

  public CronDataIntervalTimetable(CronExpression cron, ZoneId zone) {
    this.cron = new ZonedCron(cron, zone);
  }

  public ZonedCron cron() {
    return cron;
  }

  /**
   * Catchup off: the newest complete interval, i.e. the one ending at {@code now} if {@code now} is
   * a boundary, else the one ending at the last boundary before {@code now}; never before the
   * aligned start date. (Airflow's default, {@code catchup_false_no_dagrun_airflow_2_fix} off.)
   */
  @Override
  Instant skipToLatest(Instant earliest, Instant now) {
    Instant lastStart = cron.previous(now);
    Instant nextStart = cron.next(lastStart);
    Instant newStart = nextStart.equals(now) ? lastStart : cron.previous(lastStart);
    if (earliest == null) {
      return newStart;
    }
    Instant aligned = cron.alignToNext(earliest);
    return aligned.isAfter(newStart) ? aligned : newStart;
  }

  @Override
  Instant alignToNext(Instant current) {
    return cron.alignToNext(current);
  }

  @Override
  Instant alignToPrevious(Instant current) {
    return cron.alignToPrevious(current);
  }

  @Override
  Instant next(Instant current) {
    return cron.next(current);
  }

  @Override
  Instant previous(Instant current) {
    return cron.previous(current);
  }

  /**
   * The last complete interval before {@code runAfter}: a manual run at 01:00 on the 25th of a
   * daily DAG covers the 24th; one exactly at midnight of the 25th also covers the 24th.
   */
  @Override
  public DataInterval inferManualDataInterval(Instant runAfter) {
    Instant end = cron.alignToPrevious(runAfter);
    return new DataInterval(cron.previous(end), end);
  }

  @Override
  public String summary() {
    return cron.cron().expression();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CronDataIntervalTimetable other && cron.equals(other.cron);
  }

  @Override
  public int hashCode() {
    return Objects.hash(getClass(), cron);
  }

  @Override
  public String toString() {
    return "CronDataIntervalTimetable[" + cron + "]";
  }
}
