package io.updraft.timetable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.updraft.dag.Dag;
import io.updraft.dag.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class NextRunsTest {
  static final Instant START = Instant.parse("2024-01-01T00:00:00Z");

  static Dag dag(Schedule schedule, ZoneId zone, Instant start, Instant end) {
    return new Dag("d", null, schedule, zone, start, end, false, 16, 16, null, null, null, null);
  }

  static Dag dag(Schedule schedule, Instant start, Instant end) {
    return dag(schedule, ZoneOffset.UTC, start, end);
  }

  static Instant at(String text) {
    return Instant.parse(text);
  }

  @Test
  void dailyCronFromTheStartDateAsWithCatchupEvenWhenTheDagHasCatchupOff() {
    List<DagRunInfo> runs =
        NextRuns.of(dag(Schedule.Cron.of("@daily", false), START, null), 3, null);
    assertThat(runs)
        .containsExactly(
            DagRunInfo.interval(at("2024-01-01T00:00:00Z"), at("2024-01-02T00:00:00Z")),
            DagRunInfo.interval(at("2024-01-02T00:00:00Z"), at("2024-01-03T00:00:00Z")),
            DagRunInfo.interval(at("2024-01-03T00:00:00Z"), at("2024-01-04T00:00:00Z")));
  }

  @Test
  void sinceKeepsRunsStartingAtOrAfterIt() {
    Dag daily =
        dag(Schedule.Cron.of("0 2 * * *", false), ZoneId.of("Europe/Amsterdam"), START, null);
    // 02:00 CEST is 00:00Z: 'since' on a boundary keeps that boundary's run.
    List<DagRunInfo> runs = NextRuns.of(daily, 2, at("2030-06-10T00:00:00Z"));
    assertThat(runs)
        .extracting(DagRunInfo::logicalDate)
        .containsExactly(at("2030-06-10T00:00:00Z"), at("2030-06-11T00:00:00Z"));
    assertThat(NextRuns.of(daily, 1, at("2030-06-10T00:00:01Z")))
        .extracting(DagRunInfo::logicalDate)
        .containsExactly(at("2030-06-11T00:00:00Z"));
  }

  @Test
  void sinceBeforeTheStartDateChangesNothing() {
    Dag daily = dag(Schedule.Cron.of("@daily", false), START, null);
    assertThat(NextRuns.of(daily, 3, at("2000-01-01T00:00:00Z")))
        .isEqualTo(NextRuns.of(daily, 3, null));
  }

  @Test
  void endDateIsInclusive() {
    Dag daily = dag(Schedule.Cron.of("@daily", false), START, at("2024-01-03T00:00:00Z"));
    assertThat(NextRuns.of(daily, 10, null))
        .extracting(DagRunInfo::logicalDate)
        .containsExactly(
            at("2024-01-01T00:00:00Z"), at("2024-01-02T00:00:00Z"), at("2024-01-03T00:00:00Z"));
  }

  @Test
  void triggerRunsFireAtTheirTime() {
    Dag hourly = dag(Schedule.Cron.of("@hourly", true), at("2024-01-01T00:30:00Z"), null);
    assertThat(NextRuns.of(hourly, 2, null))
        .containsExactly(
            DagRunInfo.exact(at("2024-01-01T01:00:00Z")),
            DagRunInfo.exact(at("2024-01-01T02:00:00Z")));
  }

  @Test
  void deltaRunsCountFromTheStartDateAlsoWithSince() {
    Dag delta =
        dag(new Schedule.Delta("PT10H", Duration.ofHours(10)), at("2024-01-01T03:00:00Z"), null);
    assertThat(NextRuns.of(delta, 2, at("2024-01-02T00:00:00Z")))
        .containsExactly(
            DagRunInfo.interval(at("2024-01-02T09:00:00Z"), at("2024-01-02T19:00:00Z")),
            DagRunInfo.interval(at("2024-01-02T19:00:00Z"), at("2024-01-03T05:00:00Z")));
  }

  @Test
  void onceGivesOneRunAtTheStartDate() {
    Dag once = dag(new Schedule.Once(), START, null);
    assertThat(NextRuns.of(once, 5, null)).containsExactly(DagRunInfo.exact(START));
    assertThat(NextRuns.of(once, 5, START.plusSeconds(1))).isEmpty();
  }

  @Test
  void manualAndContinuousGiveNone() {
    assertThat(NextRuns.of(dag(new Schedule.Manual(), START, null), 5, null)).isEmpty();
    assertThat(NextRuns.of(dag(new Schedule.Continuous(), START, null), 5, null)).isEmpty();
    assertThat(NextRuns.of(dag(new Schedule.Manual(), null, null), 5, null)).isEmpty();
  }

  @Test
  void zeroCountGivesNoneAndNegativeIsRejected() {
    Dag daily = dag(Schedule.Cron.of("@daily", false), START, null);
    assertThat(NextRuns.of(daily, 0, null)).isEmpty();
    assertThatThrownBy(() -> NextRuns.of(daily, -1, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void timetablesDelegates() {
    Dag daily = dag(Schedule.Cron.of("@daily", false), START, null);
    assertThat(Timetables.nextRuns(daily, 4, null)).isEqualTo(NextRuns.of(daily, 4, null));
  }
}
