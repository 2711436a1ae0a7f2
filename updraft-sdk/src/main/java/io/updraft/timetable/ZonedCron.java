package io.updraft.timetable;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Objects;
import java.util.Optional;

/**
 * A cron expression evaluated on the wall clock of a time zone, with instants in and out: Airflow's
 * {@code CronMixin} ({@code airflow/timetables/_cron.py}).
 *
 * <p>Two regimes, as in Airflow 2.10:
 *
 * <ul>
 *   <li>Expressions that do not fire every hour: the next/previous local time is found on the wall
 *       clock, then made an instant as Airflow's {@code make_aware} does: a local time that does
 *       not exist (DST gap) moves forward by the length of the gap (02:30 becomes 03:30); an
 *       ambiguous one (DST fold) is the second occurrence (standard time). So a daily 02:30 job
 *       still runs on the spring-forward day, and runs once on the fall-back day.
 *   <li>Expressions that fire every hour ({@link CronExpression#coversEveryHour()}): Airflow adds
 *       the wall-clock distance to the current instant so that no hour is skipped or run twice
 *       across a DST change. We get the same instants by walking the wall clock segment by segment
 *       between offset transitions: the next instant whose local reading matches, where both
 *       readings of a repeated hour count and skipped local times do not exist. This equals
 *       Airflow's result for every one-hour, hour-aligned DST change (all of Airflow's DST tests),
 *       and unlike Airflow's arithmetic it stays on the schedule when the wall-clock distance spans
 *       a DST change (e.g. {@code 0 * * * 1} across a Sunday switch) or the gap is 30 minutes (Lord
 *       Howe).
 * </ul>
 *
 * <p>For the first regime the schedule times are the instants of all matching local times, mapped
 * as above; {@link #next} and {@link #previous} give the nearest one strictly after/before. Airflow
 * differs in two corner cases that only arise when the current instant is inside a DST change: its
 * {@code _get_prev} can answer a time at or after the current one (the previous local time moved
 * forward out of a gap, or a folded time taken as its second occurrence), and its {@code _get_next}
 * skips the second occurrence of a repeated hour when the current instant is in the first one. A
 * third needs a gap that ends off the cron's grid (Chatham's ends at 03:45): a time in the gap,
 * moved forward, comes after the real times that follow the gap, and Airflow answers the first on
 * the wall clock, not the first in time, so its intervals overlap; here they stay in order.
 */
public final class ZonedCron {
  /** Offset transitions crossed before giving up; a cron matches at least every 8 years. */
  private static final int MAX_SEGMENTS = 64;

  /**
   * Local matches tried before giving up when they map to the wrong side of the current instant; at
   * most a DST change's worth (a day, in Apia in 2011) of minutes.
   */
  private static final int MAX_STEPS = 24 * 60 + 2;

  private final CronExpression cron;
  private final ZoneId zone;
  private final ZoneRules rules;

  public ZonedCron(CronExpression cron, ZoneId zone) {
    this.cron = Objects.requireNonNull(cron, "cron");
    this.zone = Objects.requireNonNull(zone, "zone");
    this.rules = zone.getRules();
  }

  public CronExpression cron() {
    return cron;
  }

  public ZoneId zone() {
    return zone;
  }

  /** The first scheduled instant strictly after {@code current} (Airflow's {@code _get_next}). */
  public Instant next(Instant current) {
    if (cron.coversEveryHour()) {
      return nextByWallClockSegments(current);
    }
    // Schedule times are toInstantLikeAirflow(W) for each matching local W. Airflow searches from
    // W > local(current) only, which misses W <= local(current) that map after current: those in
    // a repeated hour when current is in its first pass, and those moved forward out of a gap
    // current is just past. Start the search early enough to include them.
    LocalDateTime from = local(current);
    ZoneOffsetTransition ahead = rules.nextTransition(current);
    ZoneOffsetTransition behind = rules.previousTransition(current.plusNanos(1));
    if (ahead != null
        && ahead.isOverlap()
        && !current.isBefore(ahead.getInstant().minus(ahead.getDuration().abs()))) {
      LocalDateTime overlapStart = ahead.getDateTimeAfter();
      // At the very start of the repeated hour too (current is its first pass's first instant).
      from = overlapStart.isAfter(from) ? from : overlapStart.minusNanos(1);
    }
    if (behind != null
        && behind.isGap()
        && current.isBefore(behind.getInstant().plus(behind.getDuration()))) {
      LocalDateTime gapStart = behind.getDateTimeBefore();
      from = gapStart.isAfter(from) ? from : gapStart.minusNanos(1);
    }
    for (int i = 0; i < MAX_STEPS; i++) {
      LocalDateTime local = cron.next(from).orElseThrow(() -> noMatch(current));
      Instant candidate = toInstantLikeAirflow(local);
      if (candidate.isAfter(current)) {
        return earliestAfter(local, candidate, current);
      }
      from = local;
    }
    throw noMatch(current);
  }

  /**
   * {@code candidate}, the instant of {@code local}, unless {@code local} is in a gap: moved
   * forward by the gap's length, it comes after the real times of that length past the gap
   * (Chatham's gap ends at 03:45: its 03:00 becomes 04:00, after the real 03:45), so the earliest
   * of those after {@code current} is the next schedule time.
   */
  private Instant earliestAfter(LocalDateTime local, Instant candidate, Instant current) {
    ZoneOffsetTransition gap = rules.getTransition(local);
    if (gap == null || !gap.isGap()) {
      return candidate;
    }
    LocalDateTime until = local.plus(gap.getDuration());
    Instant earliest = candidate;
    LocalDateTime w = local;
    for (int i = 0; i < MAX_STEPS; i++) {
      Optional<LocalDateTime> later = cron.next(w);
      if (later.isEmpty() || !later.get().isBefore(until)) {
        break;
      }
      w = later.get();
      Instant at = toInstantLikeAirflow(w);
      if (at.isAfter(current) && at.isBefore(earliest)) {
        earliest = at;
      }
    }
    return earliest;
  }

  /** The last scheduled instant strictly before {@code current} (Airflow's {@code _get_prev}). */
  public Instant previous(Instant current) {
    if (cron.coversEveryHour()) {
      return previousByWallClockSegments(current);
    }
    LocalDateTime bound = local(current);
    for (int i = 0; i < MAX_STEPS; i++) {
      LocalDateTime local = cron.previous(bound).orElseThrow(() -> noMatch(current));
      Instant candidate = toInstantLikeAirflow(local);
      if (candidate.isBefore(current)) {
        return latestBefore(local, candidate, current);
      }
      bound = local;
    }
    throw noMatch(current);
  }

  /**
   * The mirror image of {@link #earliestAfter}: {@code candidate}, the instant of {@code local},
   * unless {@code local} is a real time within a gap's length past the gap, where the gap's own
   * times, moved forward, can come after it; the latest of those before {@code current} is then the
   * previous schedule time.
   */
  private Instant latestBefore(LocalDateTime local, Instant candidate, Instant current) {
    ZoneOffsetTransition gap = rules.previousTransition(candidate.plusNanos(1));
    if (gap == null
        || !gap.isGap()
        || !local.isBefore(gap.getDateTimeAfter().plus(gap.getDuration()))) {
      return candidate;
    }
    LocalDateTime since = local.minus(gap.getDuration());
    Instant latest = candidate;
    LocalDateTime w = local;
    for (int i = 0; i < MAX_STEPS; i++) {
      Optional<LocalDateTime> earlier = cron.previous(w);
      if (earlier.isEmpty() || !earlier.get().isAfter(since)) {
        break;
      }
      w = earlier.get();
      Instant at = toInstantLikeAirflow(w);
      if (at.isBefore(current) && at.isAfter(latest)) {
        latest = at;
      }
    }
    return latest;
  }

  /** {@code current} if it is a scheduled instant, else the next one (Airflow's same name). */
  public Instant alignToNext(Instant current) {
    Instant next = next(current);
    return previous(next).equals(current) ? current : next;
  }

  /** {@code current} if it is a scheduled instant, else the previous one (Airflow's same name). */
  public Instant alignToPrevious(Instant current) {
    Instant previous = previous(current);
    return next(previous).equals(current) ? current : previous;
  }

  private LocalDateTime local(Instant instant) {
    return LocalDateTime.ofInstant(instant, zone);
  }

  /** Gap: forward by the gap's length; fold: the later offset (Airflow's make_aware, fold=1). */
  private Instant toInstantLikeAirflow(LocalDateTime local) {
    return ZonedDateTime.ofLocal(local, zone, null).withLaterOffsetAtOverlap().toInstant();
  }

  /**
   * Walks forward through spans of constant UTC offset: in each span the wall clock runs
   * monotonically, so the cron's next local time within the span is the answer; past the span's end
   * the wall clock restarts at the transition's local time after (earlier, for a fold).
   */
  private Instant nextByWallClockSegments(Instant current) {
    Instant t = current;
    LocalDateTime from = local(current);
    boolean inclusive = false;
    for (int i = 0; i < MAX_SEGMENTS; i++) {
      ZoneOffset offset = rules.getOffset(t);
      ZoneOffsetTransition end = rules.nextTransition(t);
      Optional<LocalDateTime> local = inclusive ? cron.nextOrSame(from) : cron.next(from);
      if (local.isEmpty()) {
        break;
      }
      Instant candidate = local.get().toInstant(offset);
      if (end == null || candidate.isBefore(end.getInstant())) {
        return candidate;
      }
      t = end.getInstant();
      from = end.getDateTimeAfter();
      inclusive = true;
    }
    throw noMatch(current);
  }

  /** The mirror image of {@link #nextByWallClockSegments}. */
  private Instant previousByWallClockSegments(Instant current) {
    Instant t = current;
    LocalDateTime before = local(current);
    for (int i = 0; i < MAX_SEGMENTS; i++) {
      ZoneOffset offset = rules.getOffset(t);
      // The transition that started the span containing t (t itself may be that transition).
      ZoneOffsetTransition start = rules.previousTransition(t.plusNanos(1));
      Optional<LocalDateTime> local = cron.previous(before);
      if (local.isEmpty()) {
        break;
      }
      Instant candidate = local.get().toInstant(offset);
      if (start == null || !candidate.isBefore(start.getInstant())) {
        return candidate;
      }
      t = start.getInstant().minusNanos(1);
      before = start.getDateTimeBefore();
    }
    throw noMatch(current);
  }

  private IllegalStateException noMatch(Instant current) {
    return new IllegalStateException(
        "cron expression '"
            + cron
            + "' has no match within "
            + CronExpression.SEARCH_YEARS
            + " years of "
            + current
            + " in "
            + zone);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ZonedCron other && cron.equals(other.cron) && zone.equals(other.zone);
  }

  @Override
  public int hashCode() {
    return cron.hashCode() * 31 + zone.hashCode();
  }

  @Override
  public String toString() {
    return cron.expression() + " (" + zone + ")";
  }
}
