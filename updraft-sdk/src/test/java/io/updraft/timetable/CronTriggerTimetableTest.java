package io.updraft.timetable;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Airflow 2.10's tests/timetables/test_trigger_timetable.py, translated (TIMEZONE is UTC). */
class CronTriggerTimetableTest {
  static final ZoneId UTC = ZoneOffset.UTC;
  static final Instant START_DATE = Instant.parse("2021-09-04T00:00:00Z");
  static final DataInterval PREV_DATA_INTERVAL_EXACT =
      DataInterval.exact(START_DATE.plus(Duration.ofDays(1)));
  static final Instant CURRENT_TIME = Instant.parse("2021-09-07T00:00:00Z");
  static final Instant YESTERDAY = CURRENT_TIME.minus(Duration.ofDays(1));
  static final Duration DELTA_FROM_MIDNIGHT = Duration.ofHours(16).plusMinutes(30);
  static final CronTriggerTimetable HOURLY = trigger("@hourly", UTC);

  static CronTriggerTimetable trigger(String expression, ZoneId zone) {
    return new CronTriggerTimetable(CronExpression.parse(expression), zone);
  }

  static Instant utc(String text) {
    return Instant.parse(text + "Z");
  }

  static Stream<Arguments> dailyNoCatchup() {
    return Stream.of(
        Arguments.of(null, YESTERDAY.plus(DELTA_FROM_MIDNIGHT)), // first-run
        Arguments.of(
            DataInterval.exact(YESTERDAY.plus(DELTA_FROM_MIDNIGHT)),
            CURRENT_TIME.plus(DELTA_FROM_MIDNIGHT)), // before-now
        Arguments.of(
            DataInterval.exact(CURRENT_TIME.plus(DELTA_FROM_MIDNIGHT)),
            CURRENT_TIME.plus(Duration.ofDays(1)).plus(DELTA_FROM_MIDNIGHT))); // after-now
  }

  // test_daily_cron_trigger_no_catchup_first_starts_at_next_schedule
  @ParameterizedTest
  @MethodSource
  void dailyNoCatchup(DataInterval last, Instant expected) {
    CronTriggerTimetable timetable = trigger("30 16 * * *", UTC);
    assertThat(
            timetable.nextDagRunInfo(
                last, new TimeRestriction(YESTERDAY, null, false), CURRENT_TIME))
        .contains(DagRunInfo.exact(expected));
  }

  static Stream<Arguments> hourlyNoCatchup() {
    return Stream.of(
        Arguments.of("2022-07-27T00:00:00", START_DATE, "2022-07-27T00:00:00"), // on boundary
        Arguments.of("2022-07-27T00:30:00", START_DATE, "2022-07-27T00:00:00"), // not on boundary
        Arguments.of("2022-07-27T01:00:00", START_DATE, "2022-07-27T01:00:00"), // miss one, on
        Arguments.of("2022-07-27T01:30:00", START_DATE, "2022-07-27T01:00:00"), // miss one, off
        Arguments.of(
            "2022-07-27T00:30:00",
            utc("2199-12-31T22:30:00"),
            "2199-12-31T23:00:00")); // future_start_date
  }

  // test_hourly_cron_trigger_no_catchup_next_info
  @ParameterizedTest
  @MethodSource
  void hourlyNoCatchup(String now, Instant earliest, String expected) {
    assertThat(
            HOURLY.nextDagRunInfo(
                PREV_DATA_INTERVAL_EXACT, new TimeRestriction(earliest, null, false), utc(now)))
        .contains(DagRunInfo.exact(utc(expected)));
  }

  static Stream<Arguments> hourlyCatchup() {
    return Stream.of(
        Arguments.of(
            DataInterval.exact(utc("2022-07-27T00:00:00")), START_DATE, "2022-07-27T01:00:00"),
        Arguments.of(
            DataInterval.exact(utc("2022-07-27T00:30:00")), START_DATE, "2022-07-27T01:00:00"),
        Arguments.of(null, utc("2022-07-27T00:00:00"), "2022-07-27T00:00:00"),
        Arguments.of(null, utc("2022-07-27T00:30:00"), "2022-07-27T01:00:00"),
        Arguments.of(null, null, null));
  }

  // test_hourly_cron_trigger_catchup_next_info
  @ParameterizedTest
  @MethodSource
  void hourlyCatchup(DataInterval last, Instant earliest, String expected) {
    var next = HOURLY.nextDagRunInfo(last, new TimeRestriction(earliest, null, true), CURRENT_TIME);
    if (expected == null) {
      assertThat(next).isEmpty();
    } else {
      assertThat(next).contains(DagRunInfo.exact(utc(expected)));
    }
  }

  // test_cron_trigger_next_info_with_interval: every Monday 16:30, covering the day before.
  @Test
  void nextInfoWithInterval() {
    CronTriggerTimetable timetable =
        new CronTriggerTimetable(
            CronExpression.parse("30 16 * * MON"), UTC, Duration.ofHours(16).plusMinutes(30));
    var next =
        timetable.nextDagRunInfo(
            new DataInterval(utc("2022-08-01T00:00:00"), utc("2022-08-01T16:30:00")),
            new TimeRestriction(START_DATE, null, true),
            CURRENT_TIME);
    assertThat(next)
        .contains(DagRunInfo.interval(utc("2022-08-08T00:00:00"), utc("2022-08-08T16:30:00")));
  }

  @Test
  void triggerRunHasZeroIntervalAndLogicalDateAtFireTime() {
    DagRunInfo info =
        trigger("0 2 * * *", ZoneId.of("Europe/Amsterdam"))
            .nextDagRunInfo(null, new TimeRestriction(START_DATE, null, true), CURRENT_TIME)
            .orElseThrow();
    Instant fire = utc("2021-09-04T00:00:00"); // 02:00 CEST
    assertThat(info.runAfter()).isEqualTo(fire);
    assertThat(info.logicalDate()).isEqualTo(fire);
    assertThat(info.dataInterval()).isEqualTo(DataInterval.exact(fire));
  }

  @Test
  void endDateIsInclusive() {
    Instant end = utc("2022-07-27T01:00:00");
    TimeRestriction restriction = new TimeRestriction(utc("2022-07-27T00:00:00"), end, true);
    var first = HOURLY.nextDagRunInfo(null, restriction, CURRENT_TIME).orElseThrow();
    var second = HOURLY.nextDagRunInfo(first.dataInterval(), restriction, CURRENT_TIME);
    assertThat(second).contains(DagRunInfo.exact(end));
    assertThat(HOURLY.nextDagRunInfo(second.get().dataInterval(), restriction, CURRENT_TIME))
        .isEmpty();
  }

  @Test
  void manualRunIntervalIsItsRunAfter() {
    Instant at = utc("2022-07-27T00:17:00");
    assertThat(HOURLY.inferManualDataInterval(at)).isEqualTo(DataInterval.exact(at));
  }
}
