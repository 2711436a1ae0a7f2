package io.updraft.timetable;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Cron schedules across DST changes, by zone. Expected instants are UTC and worked out by hand from
 * the zone's rules; each comment gives the local wall-clock reading. Non-hourly schedules follow
 * Airflow's make_aware: a skipped local time moves forward by the gap, a repeated one is its second
 * (standard-time) occurrence. Schedules firing every hour run every hour of real time.
 */
class DstTest {

  /** The starts of the first {@code n} data intervals from {@code earliest}, catchup on. */
  static List<Instant> starts(String cron, String zone, String earliest, int n) {
    Timetable timetable =
        new CronDataIntervalTimetable(CronExpression.parse(cron), ZoneId.of(zone));
    return starts(timetable, Instant.parse(earliest), n);
  }

  static List<Instant> starts(Timetable timetable, Instant earliest, int n) {
    TimeRestriction restriction = new TimeRestriction(earliest, null, true);
    List<Instant> result = new ArrayList<>();
    DataInterval last = null;
    for (int i = 0; i < n; i++) {
      DagRunInfo info = timetable.nextDagRunInfo(last, restriction, earliest).orElseThrow();
      result.add(info.dataInterval().start());
      last = info.dataInterval();
    }
    return result;
  }

  static List<Instant> utc(String... instants) {
    List<Instant> result = new ArrayList<>();
    for (String s : instants) {
      result.add(Instant.parse(s));
    }
    return result;
  }

  // ---- Europe/Amsterdam: 31 Mar 2024 02:00 CET -> 03:00 CEST; 27 Oct 2024 03:00 CEST -> 02:00 CET

  @Test
  void amsterdamDailySpringForwardMovesTheMissingTimeForward() {
    assertThat(starts("0 2 * * *", "Europe/Amsterdam", "2024-03-30T00:00:00Z", 3))
        .isEqualTo(
            utc(
                "2024-03-30T01:00:00Z", // 02:00 CET
                "2024-03-31T01:00:00Z", // 02:00 does not exist: 03:00 CEST
                "2024-04-01T00:00:00Z")); // 02:00 CEST
    assertThat(starts("30 2 * * *", "Europe/Amsterdam", "2024-03-30T00:00:00Z", 3))
        .isEqualTo(utc("2024-03-30T01:30:00Z", "2024-03-31T01:30:00Z", "2024-04-01T00:30:00Z"));
  }

  @Test
  void amsterdamDailyFallBackRunsOnceAtTheSecondOccurrence() {
    assertThat(starts("30 2 * * *", "Europe/Amsterdam", "2024-10-26T00:00:00Z", 3))
        .isEqualTo(
            utc(
                "2024-10-26T00:30:00Z", // 02:30 CEST
                "2024-10-27T01:30:00Z", // 02:30 CET, the second 02:30
                "2024-10-28T01:30:00Z")); // 02:30 CET
  }

  @Test
  void amsterdamHourlyAndHalfHourlyRunEveryRealHour() {
    assertThat(starts("0 * * * *", "Europe/Amsterdam", "2024-03-30T23:00:00Z", 4))
        .isEqualTo(
            utc(
                "2024-03-30T23:00:00Z", // 00:00 CET
                "2024-03-31T00:00:00Z", // 01:00 CET
                "2024-03-31T01:00:00Z", // 03:00 CEST
                "2024-03-31T02:00:00Z")); // 04:00 CEST
    assertThat(starts("0 * * * *", "Europe/Amsterdam", "2024-10-26T23:00:00Z", 4))
        .isEqualTo(
            utc(
                "2024-10-26T23:00:00Z", // 01:00 CEST
                "2024-10-27T00:00:00Z", // 02:00 CEST
                "2024-10-27T01:00:00Z", // 02:00 CET
                "2024-10-27T02:00:00Z")); // 03:00 CET
    assertThat(starts("*/30 * * * *", "Europe/Amsterdam", "2024-10-27T00:00:00Z", 4))
        .isEqualTo(
            utc(
                "2024-10-27T00:00:00Z", // 02:00 CEST
                "2024-10-27T00:30:00Z", // 02:30 CEST
                "2024-10-27T01:00:00Z", // 02:00 CET
                "2024-10-27T01:30:00Z")); // 02:30 CET
  }

  @Test
  void amsterdamEveryHourOnMondaysKeepsItsHourAcrossASundayChange() {
    // Airflow's wall-clock-distance arithmetic would give 01:00 here (and 23:00 on Sunday in
    // autumn); we stay on the schedule. See ZonedCron.
    assertThat(starts("0 * * * 1", "Europe/Amsterdam", "2024-03-25T22:00:00Z", 3))
        .isEqualTo(
            utc(
                "2024-03-25T22:00:00Z", // Mon 23:00 CET
                "2024-03-31T22:00:00Z", // Mon 1 Apr 00:00 CEST
                "2024-03-31T23:00:00Z")); // 01:00 CEST
    assertThat(starts("0 * * * 1", "Europe/Amsterdam", "2024-10-21T21:00:00Z", 2))
        .isEqualTo(utc("2024-10-21T21:00:00Z", "2024-10-27T23:00:00Z")); // Mon 28 Oct 00:00 CET
  }

  // ---- Europe/London: 31 Mar 2024 01:00 GMT -> 02:00 BST; 27 Oct 2024 02:00 BST -> 01:00 GMT

  @Test
  void londonDailyAtOneThirty() {
    assertThat(starts("30 1 * * *", "Europe/London", "2024-03-30T00:00:00Z", 3))
        .isEqualTo(
            utc(
                "2024-03-30T01:30:00Z", // 01:30 GMT
                "2024-03-31T01:30:00Z", // 01:30 does not exist: 02:30 BST
                "2024-04-01T00:30:00Z")); // 01:30 BST
    assertThat(starts("30 1 * * *", "Europe/London", "2024-10-26T00:00:00Z", 3))
        .isEqualTo(
            utc(
                "2024-10-26T00:30:00Z", // 01:30 BST
                "2024-10-27T01:30:00Z", // 01:30 GMT, the second one
                "2024-10-28T01:30:00Z"));
  }

  @Test
  void londonHourly() {
    assertThat(starts("@hourly", "Europe/London", "2024-10-26T23:00:00Z", 5))
        .isEqualTo(
            utc(
                "2024-10-26T23:00:00Z",
                "2024-10-27T00:00:00Z", // 01:00 BST
                "2024-10-27T01:00:00Z", // 01:00 GMT
                "2024-10-27T02:00:00Z",
                "2024-10-27T03:00:00Z"));
  }

  // ---- America/New_York: 10 Mar 2024 02:00 EST -> 03:00 EDT; 3 Nov 2024 02:00 EDT -> 01:00 EST

  @Test
  void newYorkDaily() {
    assertThat(starts("0 2 * * *", "America/New_York", "2024-03-09T00:00:00Z", 3))
        .isEqualTo(
            utc(
                "2024-03-09T07:00:00Z", // 02:00 EST
                "2024-03-10T07:00:00Z", // 02:00 does not exist: 03:00 EDT
                "2024-03-11T06:00:00Z")); // 02:00 EDT
    assertThat(starts("30 1 * * *", "America/New_York", "2024-11-02T00:00:00Z", 3))
        .isEqualTo(
            utc(
                "2024-11-02T05:30:00Z", // 01:30 EDT
                "2024-11-03T06:30:00Z", // 01:30 EST, the second one
                "2024-11-04T06:30:00Z"));
  }

  @Test
  void newYorkHourlyFallBack() {
    assertThat(starts("0 * * * *", "America/New_York", "2024-11-03T04:00:00Z", 4))
        .isEqualTo(
            utc(
                "2024-11-03T04:00:00Z", // 00:00 EDT
                "2024-11-03T05:00:00Z", // 01:00 EDT
                "2024-11-03T06:00:00Z", // 01:00 EST
                "2024-11-03T07:00:00Z")); // 02:00 EST
  }

  // ---- America/Los_Angeles: 10 Mar 2024 02:00 PST -> 03:00 PDT

  @Test
  void losAngelesEveryThirtyMinutesSpringForward() {
    assertThat(starts("*/30 * * * *", "America/Los_Angeles", "2024-03-10T09:00:00Z", 4))
        .isEqualTo(
            utc(
                "2024-03-10T09:00:00Z", // 01:00 PST
                "2024-03-10T09:30:00Z", // 01:30 PST
                "2024-03-10T10:00:00Z", // 03:00 PDT
                "2024-03-10T10:30:00Z")); // 03:30 PDT
  }

  // ---- Half-hour and quarter-hour zones

  @Test
  void kolkataHasNoDstAndAHalfHourOffset() {
    assertThat(starts("@daily", "Asia/Kolkata", "2024-01-01T00:00:00Z", 2))
        .isEqualTo(utc("2024-01-01T18:30:00Z", "2024-01-02T18:30:00Z"));
    assertThat(starts("@hourly", "Asia/Kolkata", "2024-01-01T00:00:00Z", 2))
        .isEqualTo(utc("2024-01-01T00:30:00Z", "2024-01-01T01:30:00Z"));
    assertThat(starts("*/30 * * * *", "Asia/Kolkata", "2024-01-01T00:10:00Z", 2))
        .isEqualTo(utc("2024-01-01T00:30:00Z", "2024-01-01T01:00:00Z"));
  }

  @Test
  void kathmanduQuarterHourOffset() {
    assertThat(starts("@daily", "Asia/Kathmandu", "2024-01-01T00:00:00Z", 2))
        .isEqualTo(utc("2024-01-01T18:15:00Z", "2024-01-02T18:15:00Z"));
    assertThat(starts("@hourly", "Asia/Kathmandu", "2024-01-01T00:00:00Z", 2))
        .isEqualTo(utc("2024-01-01T00:15:00Z", "2024-01-01T01:15:00Z"));
  }

  // Australia/Adelaide: +9:30 / +10:30. 6 Oct 2024 02:00 ACST -> 03:00 ACDT;
  // 7 Apr 2024 03:00 ACDT -> 02:00 ACST.

  @Test
  void adelaideHourlyAcrossBothChanges() {
    assertThat(starts("0 * * * *", "Australia/Adelaide", "2024-10-05T15:30:00Z", 3))
        .isEqualTo(
            utc(
                "2024-10-05T15:30:00Z", // 01:00 ACST
                "2024-10-05T16:30:00Z", // 03:00 ACDT
                "2024-10-05T17:30:00Z")); // 04:00 ACDT
    assertThat(starts("0 * * * *", "Australia/Adelaide", "2024-04-06T15:30:00Z", 3))
        .isEqualTo(
            utc(
                "2024-04-06T15:30:00Z", // 02:00 ACDT
                "2024-04-06T16:30:00Z", // 02:00 ACST
                "2024-04-06T17:30:00Z")); // 03:00 ACST
  }

  @Test
  void adelaideDailyAtTwoThirty() {
    assertThat(starts("30 2 * * *", "Australia/Adelaide", "2024-10-04T00:00:00Z", 3))
        .isEqualTo(
            utc(
                "2024-10-04T17:00:00Z", // 5 Oct 02:30 ACST
                "2024-10-05T17:00:00Z", // 6 Oct 02:30 does not exist: 03:30 ACDT
                "2024-10-06T16:00:00Z")); // 7 Oct 02:30 ACDT
    assertThat(starts("30 2 * * *", "Australia/Adelaide", "2024-04-05T00:00:00Z", 3))
        .isEqualTo(
            utc(
                "2024-04-05T16:00:00Z", // 6 Apr 02:30 ACDT
                "2024-04-06T17:00:00Z", // 7 Apr 02:30 ACST, the second one
                "2024-04-07T17:00:00Z")); // 8 Apr 02:30 ACST
  }

  /**
   * Found by the interval property (jqwik): a start date at the very first instant of the repeated
   * hour (02:00 ACDT, 7 Apr) skipped that day's run at 02:00 ACST one hour later.
   */
  @Test
  void aStartAtTheFirstInstantOfARepeatedHourKeepsThatDaysRun() {
    assertThat(starts("0 2 * * *", "Australia/Adelaide", "2024-04-06T15:30:00Z", 2))
        .isEqualTo(
            utc(
                "2024-04-06T16:30:00Z", // 7 Apr 02:00 ACST, the second 02:00 (Airflow's fold=1)
                "2024-04-07T16:30:00Z")); // 8 Apr 02:00 ACST
  }

  // Australia/Lord_Howe: +10:30 / +11 with 30-minute changes. 6 Oct 2024 02:00 -> 02:30;
  // 7 Apr 2024 02:00 -> 01:30.

  @Test
  void lordHoweHourlyStaysOnTheHourAcrossThirtyMinuteChanges() {
    // Airflow's arithmetic would fire at 02:30 (+11) and 01:30 (+10:30) here, off the schedule.
    assertThat(starts("0 * * * *", "Australia/Lord_Howe", "2024-10-05T14:30:00Z", 3))
        .isEqualTo(
            utc(
                "2024-10-05T14:30:00Z", // 01:00 +10:30
                "2024-10-05T16:00:00Z", // 03:00 +11 (02:00-02:29 do not exist)
                "2024-10-05T17:00:00Z"));
    assertThat(starts("0 * * * *", "Australia/Lord_Howe", "2024-04-06T14:00:00Z", 3))
        .isEqualTo(
            utc(
                "2024-04-06T14:00:00Z", // 01:00 +11
                "2024-04-06T15:30:00Z", // 02:00 +10:30 (01:30-01:59 repeat, no :00 among them)
                "2024-04-06T16:30:00Z"));
  }

  // ---- The trigger timetable fires at the same instants

  @Test
  void triggerTimetableAcrossDst() {
    Timetable trigger =
        new CronTriggerTimetable(CronExpression.parse("0 2 * * *"), ZoneId.of("America/New_York"));
    assertThat(starts(trigger, Instant.parse("2024-03-09T00:00:00Z"), 3))
        .isEqualTo(utc("2024-03-09T07:00:00Z", "2024-03-10T07:00:00Z", "2024-03-11T06:00:00Z"));
    Timetable hourly =
        new CronTriggerTimetable(CronExpression.parse("@hourly"), ZoneId.of("Europe/London"));
    assertThat(starts(hourly, Instant.parse("2024-10-27T00:00:00Z"), 3))
        .isEqualTo(utc("2024-10-27T00:00:00Z", "2024-10-27T01:00:00Z", "2024-10-27T02:00:00Z"));
  }

  @Test
  void manualIntervalInsideTheFoldIsOneRealHourForHourlySchedules() {
    Timetable hourly =
        new CronDataIntervalTimetable(
            CronExpression.parse("@hourly"), ZoneId.of("Europe/Amsterdam"));
    // 02:20 CET, in the repeated hour: the last complete interval is 02:00 CEST - 02:00 CET.
    assertThat(hourly.inferManualDataInterval(Instant.parse("2024-10-27T01:20:00Z")))
        .isEqualTo(
            new DataInterval(
                Instant.parse("2024-10-27T00:00:00Z"), Instant.parse("2024-10-27T01:00:00Z")));
  }

  @Test
  void previousIsStrictlyBeforeEvenWhenThePreviousLocalTimeMovedForward() {
    // Daily 02:30 in Amsterdam; at 03:10 CEST on 31 Mar the 02:30 of that day never happened
    // (it maps to 03:30 CEST, after now), so the previous run time is 30 Mar 02:30 CET.
    ZonedCron cron =
        new ZonedCron(CronExpression.parse("30 2 * * *"), ZoneId.of("Europe/Amsterdam"));
    assertThat(cron.previous(Instant.parse("2024-03-31T01:10:00Z")))
        .isEqualTo(Instant.parse("2024-03-30T01:30:00Z"));
  }

  @Test
  void startDateInTheFirstPassOfARepeatedHourDoesNotSkipTheSecondOccurrence() {
    // Found by TimetablePropertiesTest. Adelaide, 27 Mar 2005: 03:00 ACDT -> 02:00 ACST at 16:30Z.
    // The start date 16:29Z is 02:59 ACDT; the daily 02:00 (second occurrence, ACST) at 16:30Z
    // comes after it. Airflow's _get_next would skip to the next day.
    assertThat(starts("0 2 * * *", "Australia/Adelaide", "2005-03-26T16:29:00Z", 2))
        .isEqualTo(utc("2005-03-26T16:30:00Z", "2005-03-27T16:30:00Z"));
  }

  @Test
  void timesMovedForwardOutOfAGapAreTheRealTimesOfTheSameReading() {
    // New York, 10 Mar 2024: 02:00 EST -> 03:00 EDT at 07:00Z. 02:15 and 02:30 never happened and
    // move forward to 03:15 and 03:30 EDT (07:15Z, 07:30Z), the instants of the real 03:15 and
    // 03:30: one schedule time each.
    assertThat(starts("15,30 2,3 * * *", "America/New_York", "2024-03-09T08:00:00Z", 6))
        .isEqualTo(
            utc(
                "2024-03-09T08:15:00Z", // 03:15 EST
                "2024-03-09T08:30:00Z",
                "2024-03-10T07:15:00Z", // 02:15 moved forward = 03:15 EDT
                "2024-03-10T07:30:00Z",
                "2024-03-11T06:15:00Z", // 02:15 EDT
                "2024-03-11T06:30:00Z"));
  }

  @Test
  void aQuarterHourOfAGapThatEndsOffTheHourComesAfterTheRealOnesBeforeIt() {
    // Found by TimetablePropertiesTest. Chatham, Sunday 2 Oct 2005: 02:45 +12:45 -> 03:45 +13:45 at
    // 14:00Z. Of "*/15 3 * 3,10 SUN", 03:45 is real (14:00Z); 03:00, 03:15 and 03:30 never
    // happened and move forward to 04:00, 04:15, 04:30 (14:15Z, 14:30Z, 14:45Z), after 03:45.
    assertThat(starts("*/15 3 * 3,10 SUN", "Pacific/Chatham", "2005-10-01T13:00:00Z", 4))
        .isEqualTo(
            utc(
                "2005-10-01T14:00:00Z",
                "2005-10-01T14:15:00Z",
                "2005-10-01T14:30:00Z",
                "2005-10-01T14:45:00Z"));
  }

  @Test
  void thePreviousTimeCanBeAQuarterHourMovedOutOfTheGap() {
    // The same Chatham morning: before 14:30Z (04:15 +13:45) the latest schedule time is 03:00
    // moved forward (14:15Z), not the real 03:45 (14:00Z) that comes later on the wall clock.
    ZonedCron cron =
        new ZonedCron(CronExpression.parse("*/15 3 * 3,10 SUN"), ZoneId.of("Pacific/Chatham"));
    assertThat(cron.previous(Instant.parse("2005-10-01T14:30:00Z")))
        .isEqualTo(Instant.parse("2005-10-01T14:15:00Z"));
    assertThat(cron.previous(Instant.parse("2005-10-01T14:15:00Z")))
        .isEqualTo(Instant.parse("2005-10-01T14:00:00Z"));
    assertThat(cron.next(Instant.parse("2005-10-01T14:00:00Z")))
        .isEqualTo(Instant.parse("2005-10-01T14:15:00Z"));
  }
}
