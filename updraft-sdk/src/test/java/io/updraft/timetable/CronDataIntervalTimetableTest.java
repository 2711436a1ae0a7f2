package io.updraft.timetable;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Airflow 2.10's tests/timetables/test_interval_timetable.py, translated. Airflow's TIMEZONE there
 * is UTC.
 */
class CronDataIntervalTimetableTest {
  static final ZoneId UTC = ZoneOffset.UTC;
  static final Instant START_DATE = Instant.parse("2021-09-04T00:00:00Z");
  static final DataInterval PREV_DATA_INTERVAL =
      new DataInterval(START_DATE, START_DATE.plus(Duration.ofDays(1)));
  static final Instant CURRENT_TIME = Instant.parse("2021-09-07T00:00:00Z");
  static final Instant YESTERDAY = CURRENT_TIME.minus(Duration.ofDays(1));
  static final DataInterval OLD_INTERVAL = new DataInterval(YESTERDAY, CURRENT_TIME);
  static final Duration DELTA_FROM_MIDNIGHT = Duration.ofHours(16).plusMinutes(30);

  static final Timetable HOURLY_CRON = cron("@hourly", UTC);
  static final Timetable HOURLY_DELTA = new DeltaDataIntervalTimetable(Duration.ofHours(1));
  static final Timetable CRON = cron("30 16 * * *", UTC);

  static CronDataIntervalTimetable cron(String expression, ZoneId zone) {
    return new CronDataIntervalTimetable(CronExpression.parse(expression), zone);
  }

  static Instant utc(String localUtc) {
    return Instant.parse(localUtc + "Z");
  }

  static DagRunInfo interval(Instant start, Instant end) {
    return DagRunInfo.interval(start, end);
  }

  // test_no_catchup_first_starts_at_current_time (first-run, subsequent)
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void noCatchupFirstStartsAtCurrentTime(boolean subsequent) {
    Optional<DagRunInfo> next =
        CRON.nextDagRunInfo(
            subsequent ? PREV_DATA_INTERVAL : null,
            new TimeRestriction(YESTERDAY, null, false),
            CURRENT_TIME);
    assertThat(next)
        .contains(
            interval(YESTERDAY.plus(DELTA_FROM_MIDNIGHT), CURRENT_TIME.plus(DELTA_FROM_MIDNIGHT)));
  }

  // test_new_schedule_interval_next_info_starts_at_new_time (earliest none/start_date x catchup)
  @ParameterizedTest
  @ValueSource(strings = {"none-true", "none-false", "start-true", "start-false"})
  void newScheduleIntervalNextInfoStartsAtNewTime(String variant) {
    Instant earliest = variant.startsWith("start") ? START_DATE : null;
    boolean catchup = variant.endsWith("true");
    Optional<DagRunInfo> next =
        CRON.nextDagRunInfo(
            OLD_INTERVAL, new TimeRestriction(earliest, null, catchup), CURRENT_TIME);
    assertThat(next)
        .contains(
            interval(YESTERDAY.plus(DELTA_FROM_MIDNIGHT), CURRENT_TIME.plus(DELTA_FROM_MIDNIGHT)));
  }

  // test_no_catchup_next_info_starts_at_current_time (cron, timedelta; first-run, subsequent)
  @ParameterizedTest
  @ValueSource(strings = {"cron-first", "cron-subsequent", "delta-first", "delta-subsequent"})
  void noCatchupNextInfoStartsAtCurrentTime(String variant) {
    Timetable timetable = variant.startsWith("cron") ? HOURLY_CRON : HOURLY_DELTA;
    DataInterval last = variant.endsWith("subsequent") ? PREV_DATA_INTERVAL : null;
    Optional<DagRunInfo> next =
        timetable.nextDagRunInfo(last, new TimeRestriction(START_DATE, null, false), CURRENT_TIME);
    assertThat(next).contains(interval(CURRENT_TIME.minus(Duration.ofHours(1)), CURRENT_TIME));
  }

  // test_catchup_next_info_starts_at_previous_interval_end (cron, timedelta)
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void catchupNextInfoStartsAtPreviousIntervalEnd(boolean delta) {
    Timetable timetable = delta ? HOURLY_DELTA : HOURLY_CRON;
    Optional<DagRunInfo> next =
        timetable.nextDagRunInfo(
            PREV_DATA_INTERVAL, new TimeRestriction(START_DATE, null, true), CURRENT_TIME);
    Instant end = PREV_DATA_INTERVAL.end();
    assertThat(next).contains(interval(end, end.plus(Duration.ofHours(1))));
  }

  // test_cron_infer_manual_data_interval_alignment (adhoc, exact)
  @Test
  void inferManualDataIntervalAlignment() {
    Timetable daily = cron("@daily", UTC);
    DataInterval expected =
        new DataInterval(utc("2022-08-07T00:00:00"), utc("2022-08-08T00:00:00"));
    assertThat(daily.inferManualDataInterval(utc("2022-08-08T01:00:00"))).isEqualTo(expected);
    assertThat(daily.inferManualDataInterval(utc("2022-08-08T00:00:00"))).isEqualTo(expected);
  }

  // test_cron_next_dagrun_info_alignment (exact, changed)
  @Test
  void nextDagRunInfoAlignment() {
    Timetable daily = cron("@daily", UTC);
    TimeRestriction restriction = new TimeRestriction(null, null, true);
    DagRunInfo expected = interval(utc("2022-08-08T00:00:00"), utc("2022-08-09T00:00:00"));
    DataInterval exact = new DataInterval(utc("2022-08-07T00:00:00"), utc("2022-08-08T00:00:00"));
    DataInterval changed = new DataInterval(utc("2022-08-07T01:00:00"), utc("2022-08-08T01:00:00"));
    assertThat(daily.nextDagRunInfo(exact, restriction, CURRENT_TIME)).contains(expected);
    assertThat(daily.nextDagRunInfo(changed, restriction, CURRENT_TIME)).contains(expected);
  }

  @Test
  void firstRunWithoutStartDateIsNone() {
    assertThat(CRON.nextDagRunInfo(null, new TimeRestriction(null, null, true), CURRENT_TIME))
        .isEmpty();
  }

  @Test
  void startDateOffBoundaryStartsAtTheNextBoundary() {
    Optional<DagRunInfo> next =
        CRON.nextDagRunInfo(
            null, new TimeRestriction(utc("2021-09-04T17:00:00"), null, true), CURRENT_TIME);
    assertThat(next).contains(interval(utc("2021-09-05T16:30:00"), utc("2021-09-06T16:30:00")));
  }

  @Test
  void endDateIsInclusiveForTheIntervalStart() {
    Instant start = utc("2021-09-04T16:30:00");
    TimeRestriction restriction = new TimeRestriction(start, start, true);
    Optional<DagRunInfo> first = CRON.nextDagRunInfo(null, restriction, CURRENT_TIME);
    assertThat(first).contains(interval(start, start.plus(Duration.ofDays(1))));
    assertThat(CRON.nextDagRunInfo(first.get().dataInterval(), restriction, CURRENT_TIME))
        .isEmpty();
  }

  @Test
  void noCatchupBetweenBoundariesGivesTheNewestCompleteInterval() {
    // 2021-09-07 10:00 is between 16:30 boundaries: the newest complete interval is 5th-6th.
    Instant now = utc("2021-09-07T10:00:00");
    Optional<DagRunInfo> next =
        CRON.nextDagRunInfo(null, new TimeRestriction(START_DATE, null, false), now);
    assertThat(next).contains(interval(utc("2021-09-05T16:30:00"), utc("2021-09-06T16:30:00")));
  }

  @Test
  void noCatchupWithFutureStartDateWaitsForIt() {
    Instant start = utc("2030-01-01T00:00:00");
    Optional<DagRunInfo> next =
        CRON.nextDagRunInfo(null, new TimeRestriction(start, null, false), CURRENT_TIME);
    assertThat(next).contains(interval(utc("2030-01-01T16:30:00"), utc("2030-01-02T16:30:00")));
  }

  /**
   * Airflow's TestCronIntervalDst: Zurich, 2023. DST entered on 26 Mar (02:00 local became 03:00)
   * and ended on 29 Oct (03:00 local became 02:00).
   */
  @Nested
  class CronIntervalDst {
    final ZoneId zurich = ZoneId.of("Europe/Zurich");

    // test_entering_exact
    @Test
    void enteringExact() {
      assertRuns(
          cron("0 3 * * *", zurich),
          utc("2023-03-24T00:00:00"),
          "2023-03-24T02:00:00",
          "2023-03-25T02:00:00",
          "2023-03-26T01:00:00",
          "2023-03-27T01:00:00");
    }

    // test_entering_skip
    @Test
    void enteringSkip() {
      assertRuns(
          cron("0 2 * * *", zurich),
          utc("2023-03-24T00:00:00"),
          "2023-03-24T01:00:00",
          "2023-03-25T01:00:00",
          "2023-03-26T01:00:00",
          "2023-03-27T00:00:00");
    }

    // test_exiting_exact
    @Test
    void exitingExact() {
      assertRuns(
          cron("0 3 * * *", zurich),
          utc("2023-10-27T00:00:00"),
          "2023-10-27T01:00:00",
          "2023-10-28T01:00:00",
          "2023-10-29T02:00:00",
          "2023-10-30T02:00:00");
    }

    // test_exiting_fold: the folded 2am resolves to its second occurrence (UTC+1).
    @Test
    void exitingFold() {
      assertRuns(
          cron("0 2 * * *", zurich),
          utc("2023-10-27T00:00:00"),
          "2023-10-27T00:00:00",
          "2023-10-28T00:00:00",
          "2023-10-29T01:00:00",
          "2023-10-30T01:00:00");
    }
  }

  /** Airflow's TestCronIntervalDstNonTrivial (apache/airflow#7999): Los Angeles, 8 Mar 2020. */
  @Nested
  class CronIntervalDstNonTrivial {
    final ZoneId la = ZoneId.of("America/Los_Angeles");

    // test_7_to_8_entering
    @Test
    void sevenToEightEntering() {
      Timetable timetable = cron("0 7-8 * * *", la);
      TimeRestriction restriction = new TimeRestriction(utc("2020-03-07T00:00:00"), null, true);
      DagRunInfo first = timetable.nextDagRunInfo(null, restriction, CURRENT_TIME).orElseThrow();
      assertThat(first).isEqualTo(interval(utc("2020-03-07T15:00:00"), utc("2020-03-07T16:00:00")));
      DagRunInfo second =
          timetable.nextDagRunInfo(first.dataInterval(), restriction, CURRENT_TIME).orElseThrow();
      // This interval ends an hour early since it includes the DST switch.
      assertThat(second)
          .isEqualTo(interval(utc("2020-03-07T16:00:00"), utc("2020-03-08T14:00:00")));
      DagRunInfo third =
          timetable.nextDagRunInfo(second.dataInterval(), restriction, CURRENT_TIME).orElseThrow();
      assertThat(third).isEqualTo(interval(utc("2020-03-08T14:00:00"), utc("2020-03-08T15:00:00")));
    }

    // test_7_and_9_entering
    @Test
    void sevenAndNineEntering() {
      assertRuns(
          cron("0 7,9 * * *", la),
          utc("2020-03-07T00:00:00"),
          "2020-03-07T15:00:00",
          "2020-03-07T17:00:00",
          "2020-03-08T14:00:00",
          "2020-03-08T16:00:00");
    }
  }

  // test_fold_scheduling: */30 in Zurich runs through both 2am hours of 29 Oct 2023.
  @Test
  void foldScheduling() {
    assertRuns(
        cron("*/30 * * * *", ZoneId.of("Europe/Zurich")),
        utc("2023-10-28T23:30:00"),
        "2023-10-28T23:30:00",
        "2023-10-29T00:00:00",
        "2023-10-29T00:30:00",
        "2023-10-29T01:00:00",
        "2023-10-29T01:30:00",
        "2023-10-29T02:00:00");
  }

  /**
   * Runs the timetable with catchup from {@code earliest} and checks the successive interval
   * boundaries (UTC, without the Z): boundary i is the start of run i and the end of run i-1.
   */
  static void assertRuns(Timetable timetable, Instant earliest, String... boundaries) {
    TimeRestriction restriction = new TimeRestriction(earliest, null, true);
    DataInterval last = null;
    for (int i = 0; i + 1 < boundaries.length; i++) {
      DagRunInfo info = timetable.nextDagRunInfo(last, restriction, CURRENT_TIME).orElseThrow();
      assertThat(info)
          .as("run %d", i)
          .isEqualTo(interval(utc(boundaries[i]), utc(boundaries[i + 1])));
      last = info.dataInterval();
    }
  }
}
