package io.updraft.timetable;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code timetable: trigger}: a run fires <em>at</em> each cron time, as POSIX cron does (Airflow's
 * {@code CronTriggerTimetable}). Its data interval is [fire time - interval, fire time]; with the
 * default zero interval start == end == logical date == the fire time.
 */
public final class CronTriggerTimetable implements Timetable {
  private final ZonedCron cron;
  private final Duration interval;

  public CronTriggerTimetable(CronExpression cron, ZoneId zone) {
    this(cron, zone, Duration.ZERO);
  }

  /**
   * @param interval how far back each run's data interval reaches from its fire time; not negative
   */
  public CronTriggerTimetable(CronExpression cron, ZoneId zone, Duration interval) {
    this.cron = new ZonedCron(cron, zone);
    this.interval = Objects.requireNonNull(interval, "interval");
    if (interval.isNegative()) {
      throw new IllegalArgumentException(
          "a trigger timetable's interval must not be negative, not " + interval);
    }
  }

  public ZonedCron cron() {
    return cron;
  }

  public Duration interval() {
    return interval;
  }

  /**
   * Catchup on: the cron time after the last run, or the first at/after the start date. Catchup
   * off: the latest of (the last cron time at or before {@code now}, the cron time after the last
   * run, the first at/after the start date) — so a missed run is made up once, not all of them.
   */
  @Override
  public Optional<DagRunInfo> nextDagRunInfo(
      DataInterval lastAutomated, TimeRestriction restriction, Instant now) {
    Instant fireAt;
    if (restriction.catchup()) {
      if (lastAutomated != null) {
        fireAt = cron.next(lastAutomated.end());
      } else if (restriction.earliest() == null) {
        return Optional.empty(); // nowhere to catch up from
      } else {
        fireAt = cron.alignToNext(restriction.earliest());
      }
    } else {
      List<Instant> candidates = new ArrayList<>();
      candidates.add(cron.alignToPrevious(now));
      if (lastAutomated != null) {
        candidates.add(cron.next(lastAutomated.end()));
      }
      if (restriction.earliest() != null) {
        candidates.add(cron.alignToNext(restriction.earliest()));
      }
      fireAt = Collections.max(candidates);
    }
    if (restriction.latest() != null && restriction.latest().isBefore(fireAt)) {
      return Optional.empty();
    }
    return Optional.of(DagRunInfo.interval(fireAt.minus(interval), fireAt));
  }

  @Override
  public DataInterval inferManualDataInterval(Instant runAfter) {
    return new DataInterval(runAfter.minus(interval), runAfter);
  }

  @Override
  public boolean periodic() {
    return true;
  }

  @Override
  public String summary() {
    return cron.cron().expression();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CronTriggerTimetable other
        && cron.equals(other.cron)
        && interval.equals(other.interval);
  }

  @Override
  public int hashCode() {
    return Objects.hash(getClass(), cron, interval);
  }

  @Override
  public String toString() {
    return "CronTriggerTimetable[" + cron + ", interval " + interval + "]";
  }
}
