package io.updraft.timetable;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.dag.Dag;
import io.updraft.dag.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Invariants of the timetables over random valid crons, zones (with DST, half- and quarter-hour
 * offsets, 30-minute DST, a skipped day) and start/end dates.
 */
class TimetablePropertiesTest {
  private static final int RUNS = 40;

  @Provide
  Arbitrary<String> crons() {
    Arbitrary<String> minute = Arbitraries.of("0", "30", "*/30", "*/15", "5,35", "59", "0-10/5");
    Arbitrary<String> hour =
        Arbitraries.of("*", "*", "0", "1", "2", "3", "*/2", "1-3", "0-23", "22,23", "9-17");
    Arbitrary<String> dom = Arbitraries.of("*", "*", "*", "1", "*/7", "15-20", "31", "29");
    Arbitrary<String> month = Arbitraries.of("*", "*", "*", "3,10", "*/3", "FEB-APR");
    Arbitrary<String> dow = Arbitraries.of("*", "*", "*", "SUN", "MON", "1-5", "6,0");
    return Combinators.combine(minute, hour, dom, month, dow)
        .as((a, b, c, d, e) -> String.join(" ", a, b, c, d, e));
  }

  @Provide
  Arbitrary<ZoneId> zones() {
    return Arbitraries.of(
            "UTC",
            "Europe/Amsterdam",
            "Europe/London",
            "America/New_York",
            "America/Los_Angeles",
            "America/Sao_Paulo", // DST changed at midnight until 2019
            "Asia/Kolkata",
            "Asia/Kathmandu",
            "Australia/Adelaide",
            "Australia/Lord_Howe", // 30-minute DST
            "Pacific/Chatham", // +12:45 / +13:45
            "Pacific/Apia") // skipped 30 Dec 2011 entirely
        .map(ZoneId::of);
  }

  @Provide
  Arbitrary<Instant> starts() {
    return Arbitraries.longs()
        .between(
            Instant.parse("2005-01-01T00:00:00Z").getEpochSecond(),
            Instant.parse("2035-01-01T00:00:00Z").getEpochSecond())
        .map(s -> Instant.ofEpochSecond(s - s % 60));
  }

  @Provide
  Arbitrary<Duration> endOffsets() {
    return Arbitraries.oneOf(
        Arbitraries.just(Duration.ofDays(-1)), // stands for: no end date
        Arbitraries.longs().between(0, 400L * 24 * 60).map(Duration::ofMinutes));
  }

  /** A zone and a start date, half of them within two days before one of the zone's changes. */
  record ZonedStart(ZoneId zone, Instant start) {}

  @Provide
  Arbitrary<ZonedStart> zonedStarts() {
    Arbitrary<ZonedStart> anywhere = Combinators.combine(zones(), starts()).as(ZonedStart::new);
    Arbitrary<ZonedStart> nearChange =
        Combinators.combine(zones(), starts(), Arbitraries.longs().between(0, 48 * 60))
            .as(
                (zone, start, minutesBefore) -> {
                  ZoneOffsetTransition tr = zone.getRules().nextTransition(start);
                  Instant at = tr == null ? start : tr.getInstant();
                  return new ZonedStart(zone, at.minus(Duration.ofMinutes(minutesBefore)));
                });
    return Arbitraries.oneOf(anywhere, nearChange);
  }

  static CronExpression parseOrSkip(String text) {
    try {
      return CronExpression.parse(text);
    } catch (IllegalArgumentException e) {
      Assume.that(false); // a generated combination that never matches
      throw e;
    }
  }

  static List<DataInterval> run(Timetable timetable, TimeRestriction restriction) {
    List<DataInterval> result = new ArrayList<>();
    DataInterval last = null;
    for (int i = 0; i < RUNS; i++) {
      var next = timetable.nextDagRunInfo(last, restriction, Instant.EPOCH);
      if (next.isEmpty()) {
        break;
      }
      assertThat(next.get().runAfter()).isEqualTo(next.get().dataInterval().end());
      last = next.get().dataInterval();
      result.add(last);
    }
    return result;
  }

  /**
   * Whether {@code at} is a time the cron names on the zone's wall clock: its local reading
   * matches, or (for schedules not firing every hour) it is a skipped local time moved forward by
   * its DST gap.
   */
  static boolean isCronTime(CronExpression cron, ZoneId zone, Instant at) {
    if (cron.matches(LocalDateTime.ofInstant(at, zone))) {
      return true;
    }
    ZoneOffsetTransition tr = zone.getRules().previousTransition(at.plusNanos(1));
    if (cron.coversEveryHour() || tr == null || !tr.isGap()) {
      return false;
    }
    Duration gap = tr.getDuration();
    if (at.isBefore(tr.getInstant()) || !at.isBefore(tr.getInstant().plus(gap))) {
      return false;
    }
    return cron.matches(LocalDateTime.ofInstant(at, zone).minus(gap));
  }

  @Property(tries = 1000)
  void cronDataIntervalsAreContiguousAlignedAndWithinBounds(
      @ForAll("crons") String text,
      @ForAll("zonedStarts") ZonedStart zonedStart,
      @ForAll("endOffsets") Duration endOffset) {
    ZoneId zone = zonedStart.zone();
    Instant start = zonedStart.start();
    CronExpression cron = parseOrSkip(text);
    Instant end = endOffset.isNegative() ? null : start.plus(endOffset);
    ZonedCron zoned = new ZonedCron(cron, zone);
    List<DataInterval> runs =
        run(new CronDataIntervalTimetable(cron, zone), new TimeRestriction(start, end, true));

    if (end == null) {
      assertThat(runs).hasSize(RUNS);
    }
    if (runs.isEmpty()) {
      assertThat(zoned.alignToNext(start)).isAfter(end);
      return;
    }
    assertThat(runs.getFirst().start()).isAfterOrEqualTo(start);
    // The first interval starts at the first cron time at or after the start date.
    assertThat(zoned.previous(runs.getFirst().start())).isBefore(start);
    for (int i = 0; i < runs.size(); i++) {
      DataInterval r = runs.get(i);
      assertThat(r.end()).isAfter(r.start());
      assertThat(isCronTime(cron, zone, r.start())).as("start %s", r.start()).isTrue();
      assertThat(isCronTime(cron, zone, r.end())).as("end %s", r.end()).isTrue();
      if (end != null) {
        assertThat(r.start()).isBeforeOrEqualTo(end);
      }
      if (i > 0) {
        assertThat(r.start()).isEqualTo(runs.get(i - 1).end());
      }
      if (cron.coversEveryHour()
          && Duration.between(r.start(), r.end()).compareTo(Duration.ofHours(6)) <= 0) {
        // No skipped hour: no wall-clock match strictly inside the interval.
        for (Instant m = r.start().plusSeconds(60); m.isBefore(r.end()); m = m.plusSeconds(60)) {
          assertThat(cron.matches(LocalDateTime.ofInstant(m, zone))).as("skipped %s", m).isFalse();
        }
      }
    }
    if (end != null && runs.size() < RUNS) {
      // Stopped because of the end date: the next boundary is past it.
      assertThat(runs.isEmpty() ? zoned.alignToNext(start) : runs.getLast().end()).isAfter(end);
    }
  }

  @Property(tries = 300)
  void cronTriggerFiresAtIncreasingCronTimesWithZeroIntervals(
      @ForAll("crons") String text,
      @ForAll("zonedStarts") ZonedStart zonedStart,
      @ForAll("endOffsets") Duration endOffset) {
    ZoneId zone = zonedStart.zone();
    Instant start = zonedStart.start();
    CronExpression cron = parseOrSkip(text);
    Instant end = endOffset.isNegative() ? null : start.plus(endOffset);
    List<DataInterval> runs =
        run(new CronTriggerTimetable(cron, zone), new TimeRestriction(start, end, true));
    Instant previous = null;
    for (DataInterval r : runs) {
      assertThat(r.end()).isEqualTo(r.start());
      assertThat(r.start()).isAfterOrEqualTo(start);
      assertThat(isCronTime(cron, zone, r.start())).as("fire %s", r.start()).isTrue();
      if (end != null) {
        assertThat(r.start()).isBeforeOrEqualTo(end);
      }
      if (previous != null) {
        assertThat(r.start()).isAfter(previous);
      }
      previous = r.start();
    }
  }

  @Property(tries = 300)
  void noCatchupGivesTheNewestCompleteInterval(
      @ForAll("crons") String text, @ForAll("zonedStarts") ZonedStart zonedNow) {
    ZoneId zone = zonedNow.zone();
    Instant now = zonedNow.start();
    CronExpression cron = parseOrSkip(text);
    ZonedCron zoned = new ZonedCron(cron, zone);
    Instant longAgo = now.minus(Duration.ofDays(3660));
    DataInterval r =
        new CronDataIntervalTimetable(cron, zone)
            .nextDagRunInfo(null, new TimeRestriction(longAgo, null, false), now)
            .orElseThrow()
            .dataInterval();
    assertThat(r.end()).isBeforeOrEqualTo(now);
    assertThat(zoned.next(r.end())).isAfter(now);
    assertThat(r.start()).isEqualTo(zoned.previous(r.end()));
  }

  @Property(tries = 200)
  void deltaIntervalsAreContiguousAndOfTheGivenLength(
      @ForAll("starts") Instant start,
      @ForAll("endOffsets") Duration endOffset,
      @ForAll("deltas") Duration delta) {
    Instant end = endOffset.isNegative() ? null : start.plus(endOffset);
    List<DataInterval> runs =
        run(new DeltaDataIntervalTimetable(delta), new TimeRestriction(start, end, true));
    for (int i = 0; i < runs.size(); i++) {
      DataInterval r = runs.get(i);
      assertThat(r.start()).isEqualTo(start.plus(delta.multipliedBy(i)));
      assertThat(r.end()).isEqualTo(r.start().plus(delta));
      if (end != null) {
        assertThat(r.start()).isBeforeOrEqualTo(end);
      }
    }
  }

  @Provide
  Arbitrary<Duration> deltas() {
    return Arbitraries.longs().between(1, 40L * 24 * 3600).map(Duration::ofSeconds);
  }

  @Property(tries = 200)
  void nextRunsSinceIsTheTailOfNextRunsFromTheStart(
      @ForAll("crons") String text,
      @ForAll("zonedStarts") ZonedStart zonedStart,
      @ForAll("kinds") String kind,
      @ForAll("indexes") int sinceIndex,
      @ForAll boolean onBoundary) {
    ZoneId zone = zonedStart.zone();
    Instant start = zonedStart.start();
    parseOrSkip(text);
    Schedule schedule =
        switch (kind) {
          case "cron" -> Schedule.Cron.of(text, false);
          case "trigger" -> Schedule.Cron.of(text, true);
          default -> new Schedule.Delta("PT7H13M", Duration.ofMinutes(7 * 60 + 13));
        };
    Dag dag = NextRunsTest.dag(schedule, zone, start, null);
    List<DagRunInfo> all = NextRuns.of(dag, 40, null);
    assertThat(all).hasSize(40);
    Instant since = all.get(sinceIndex).dataInterval().start();
    if (!onBoundary) {
      since = since.minusSeconds(1);
    }
    List<DagRunInfo> expected = all.subList(sinceIndex, sinceIndex + 10);
    assertThat(NextRuns.of(dag, 10, since)).isEqualTo(expected);
  }

  @Provide
  Arbitrary<String> kinds() {
    return Arbitraries.of("cron", "trigger", "delta");
  }

  @Provide
  Arbitrary<Integer> indexes() {
    return Arbitraries.integers().between(1, 29);
  }
}
