package io.updraft.dag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The text forms of SPEC §1 values, as both the YAML loader and the Java builder read them. */
class DagValuesTest {
  private static final ZoneId AMSTERDAM = ZoneId.of("Europe/Amsterdam");

  @Test
  void schedules() {
    assertThat(DagValues.schedule(null)).isEqualTo(new Schedule.Manual());
    assertThat(DagValues.schedule(" @once ")).isEqualTo(new Schedule.Once());
    assertThat(DagValues.schedule("@continuous")).isEqualTo(new Schedule.Continuous());
    assertThat(DagValues.schedule("@daily"))
        .isEqualTo(new Schedule.Cron("@daily", "0 0 * * *", false));
    assertThat(DagValues.schedule("0 2 * * *"))
        .isEqualTo(new Schedule.Cron("0 2 * * *", "0 2 * * *", false));
    assertThat(DagValues.schedule("90m"))
        .isEqualTo(new Schedule.Delta("90m", Duration.ofMinutes(90)));
    assertThat(DagValues.schedule("P1D")).isEqualTo(new Schedule.Delta("P1D", Duration.ofDays(1)));
  }

  @Test
  void badSchedulesSayWhatToWrite() {
    assertBad(
        () -> DagValues.schedule("@dayly"),
        "unknown schedule preset '@dayly' — use one of @once, @continuous, @hourly, @daily,"
            + " @weekly, @monthly, @quarterly, @yearly; did you mean @daily?");
    assertBad(
        () -> DagValues.schedule("* * *"), "schedule '* * *' is not a valid cron expression: ");
    assertBad(() -> DagValues.schedule("0s"), "schedule '0s' is not valid — use a cron expression");
    assertBad(() -> DagValues.schedule("soon"), "schedule 'soon' is not valid");
  }

  @Test
  void zones() {
    assertThat(DagValues.zone("Europe/Amsterdam")).isEqualTo(AMSTERDAM);
    assertBad(
        () -> DagValues.zone("Europe/Amsterdm"),
        "unknown time zone 'Europe/Amsterdm' — use an IANA zone name such as Europe/Amsterdam or"
            + " UTC; did you mean Europe/Amsterdam?");
  }

  @Test
  void everyZoneFixedAtOffsetZeroIsUtc() {
    for (String utc : List.of("UTC", "Etc/UTC", "Z", "GMT", "Etc/GMT", "UTC+00:00", "+00:00")) {
      assertThat(DagValues.zone(utc)).as(utc).isEqualTo(DagValues.UTC);
      assertThat(DagValues.canonical(ZoneId.of(utc))).as(utc).isEqualTo(DagValues.UTC);
    }
    assertThat(DagValues.zone(null)).isEqualTo(DagValues.UTC);
    assertThat(DagValues.canonical(null)).isEqualTo(DagValues.UTC);
    assertThat(DagValues.UTC.getId()).isEqualTo("UTC");
    // Zones with rules of their own, or another fixed offset, stay as they are.
    assertThat(DagValues.zone("Europe/London")).isEqualTo(ZoneId.of("Europe/London"));
    assertThat(DagValues.zone("+05:30")).isEqualTo(ZoneId.of("+05:30"));
  }

  @Test
  void theDagNormalizesItsZone() {
    Dag z =
        new Dag("d", null, null, ZoneId.of("Z"), null, null, false, 1, 1, null, null, null, null);
    Dag none = new Dag("d", null, null, null, null, null, false, 1, 1, null, null, null, null);
    Dag etc =
        new Dag(
            "d", null, null, ZoneId.of("Etc/UTC"), null, null, false, 1, 1, null, null, null, null);

    assertThat(z).isEqualTo(none).isEqualTo(etc);
    assertThat(z.timezone().getId()).isEqualTo("UTC");
  }

  @Test
  void datesWithoutAnOffsetAreLocalToTheDagsZone() {
    assertThat(DagValues.date("start_date", "2024-07-01").in(AMSTERDAM))
        .isEqualTo(Instant.parse("2024-06-30T22:00:00Z"));
    assertThat(DagValues.date("start_date", "2024-07-01T06:30"))
        .isEqualTo(new DateValue.Local(LocalDateTime.parse("2024-07-01T06:30")));
    assertThat(DagValues.date("start_date", "2024-07-01  06:30:00"))
        .isEqualTo(new DateValue.Local(LocalDateTime.parse("2024-07-01T06:30")));
    assertThat(DagValues.date("start_date", "2024-07-01T06:30:00+02:00"))
        .isEqualTo(new DateValue.Exact(Instant.parse("2024-07-01T04:30:00Z")));
    assertThat(DagValues.date("start_date", "2024-07-01 06:30:00Z").in(AMSTERDAM))
        .isEqualTo(Instant.parse("2024-07-01T06:30:00Z"));
    assertThat(DagValues.date("start_date", null)).isNull();
  }

  @Test
  void localTimesInADstGapMoveForwardAndInAnOverlapTakeTheEarlierOffset() {
    assertThat(DagValues.date("start_date", "2024-03-31T02:30").in(AMSTERDAM))
        .isEqualTo(Instant.parse("2024-03-31T01:30:00Z"));
    assertThat(DagValues.date("start_date", "2024-10-27T02:30").in(AMSTERDAM))
        .isEqualTo(Instant.parse("2024-10-27T00:30:00Z"));
  }

  @Test
  void badDatesAndDurations() {
    assertBad(
        () -> DagValues.date("start_date", "2024-13-01"),
        "start_date '2024-13-01' is not a date — write 2024-01-01");
    assertBad(
        () -> DagValues.duration("retry_delay", "5 minutes"),
        "retry_delay '5 minutes' is not a duration — use an ISO-8601 duration");
    assertBad(
        () -> DagValues.duration("retry_delay", Duration.ofSeconds(-1)),
        "retry_delay PT-1S is negative");
    assertThat(DagValues.duration("retry_delay", "1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(DagValues.duration("retry_delay", "0s")).isEqualTo(Duration.ZERO);
    assertThat(DagValues.duration("retry_delay", (String) null)).isNull();
  }

  private static void assertBad(Runnable call, String messageStart) {
    assertThatThrownBy(call::run)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(messageStart)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }
}
