package io.updraft.timetable;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * @once, @continuous and null schedules, and the delta timetable: Airflow 2.10's
 *     tests/timetables/test_continuous_timetable.py translated, plus the
 *     OnceTimetable/NullTimetable behaviour of airflow/timetables/simple.py.
 */
class SimpleTimetablesTest {
  static final Instant BEFORE_DATE = Instant.parse("2023-03-01T00:00:00Z");
  static final Instant START_DATE = Instant.parse("2023-03-03T00:00:00Z");
  static final Instant DURING_DATE = Instant.parse("2023-03-06T00:00:00Z");
  static final Instant END_DATE = Instant.parse("2023-03-10T00:00:00Z");
  static final Instant AFTER_DATE = Instant.parse("2023-03-12T00:00:00Z");
  static final TimeRestriction RESTRICTION = new TimeRestriction(START_DATE, END_DATE, true);

  final ContinuousTimetable continuous = new ContinuousTimetable();

  // test_no_runs_without_start_date
  @Test
  void continuousNoRunsWithoutStartDate() {
    assertThat(continuous.nextDagRunInfo(null, new TimeRestriction(null, null, false), DURING_DATE))
        .isEmpty();
  }

  // test_first_run_after_start_date_correct_interval
  @Test
  void continuousFirstRunAfterStartDate() {
    DagRunInfo info = continuous.nextDagRunInfo(null, RESTRICTION, DURING_DATE).orElseThrow();
    assertThat(info.runAfter()).isEqualTo(DURING_DATE);
    assertThat(info.dataInterval()).isEqualTo(new DataInterval(START_DATE, DURING_DATE));
  }

  // test_first_run_before_start_date_correct_interval
  @Test
  void continuousFirstRunBeforeStartDate() {
    DagRunInfo info = continuous.nextDagRunInfo(null, RESTRICTION, BEFORE_DATE).orElseThrow();
    assertThat(info.runAfter()).isEqualTo(START_DATE);
    assertThat(info.dataInterval()).isEqualTo(DataInterval.exact(START_DATE));
  }

  // test_run_uses_utcnow
  @Test
  void continuousRunUsesNow() {
    DagRunInfo info =
        continuous
            .nextDagRunInfo(new DataInterval(START_DATE, DURING_DATE), RESTRICTION, DURING_DATE)
            .orElseThrow();
    assertThat(info.runAfter()).isEqualTo(DURING_DATE);
  }

  // test_no_runs_after_end_date
  @Test
  void continuousNoRunsAfterEndDate() {
    assertThat(
            continuous.nextDagRunInfo(
                new DataInterval(START_DATE, DURING_DATE), RESTRICTION, AFTER_DATE))
        .isEmpty();
  }

  @Test
  void continuousNextIntervalStartsAtPreviousEnd() {
    Instant now = DURING_DATE.plusSeconds(90);
    assertThat(
            continuous.nextDagRunInfo(new DataInterval(START_DATE, DURING_DATE), RESTRICTION, now))
        .contains(DagRunInfo.interval(DURING_DATE, now));
  }

  @Test
  void onceRunsAtStartDateRegardlessOfCatchup() {
    OnceTimetable once = new OnceTimetable();
    for (boolean catchup : new boolean[] {true, false}) {
      assertThat(
              once.nextDagRunInfo(null, new TimeRestriction(START_DATE, null, catchup), AFTER_DATE))
          .contains(DagRunInfo.exact(START_DATE));
    }
  }

  @Test
  void onceRunsOnlyOnce() {
    OnceTimetable once = new OnceTimetable();
    assertThat(once.nextDagRunInfo(DataInterval.exact(START_DATE), RESTRICTION, AFTER_DATE))
        .isEmpty();
  }

  @Test
  void onceNeedsAStartDateNotAfterTheEndDate() {
    OnceTimetable once = new OnceTimetable();
    assertThat(once.nextDagRunInfo(null, new TimeRestriction(null, null, true), AFTER_DATE))
        .isEmpty();
    assertThat(
            once.nextDagRunInfo(null, new TimeRestriction(END_DATE, START_DATE, true), AFTER_DATE))
        .isEmpty();
  }

  @Test
  void nullTimetableNeverSchedules() {
    NullTimetable none = new NullTimetable();
    assertThat(none.nextDagRunInfo(null, RESTRICTION, DURING_DATE)).isEmpty();
    assertThat(none.periodic()).isFalse();
    assertThat(none.summary()).isEqualTo("None");
  }

  @Test
  void trivialTimetablesInferAnExactManualInterval() {
    for (Timetable t : new Timetable[] {new NullTimetable(), new OnceTimetable(), continuous}) {
      assertThat(t.inferManualDataInterval(DURING_DATE)).isEqualTo(DataInterval.exact(DURING_DATE));
    }
  }

  @Test
  void deltaIntervalsCountFromTheStartDate() {
    DeltaDataIntervalTimetable delta = new DeltaDataIntervalTimetable(Duration.ofHours(5));
    Instant start = Instant.parse("2023-03-03T01:17:00Z");
    TimeRestriction restriction = new TimeRestriction(start, null, true);
    DagRunInfo first = delta.nextDagRunInfo(null, restriction, AFTER_DATE).orElseThrow();
    assertThat(first).isEqualTo(DagRunInfo.interval(start, start.plus(Duration.ofHours(5))));
    DagRunInfo second =
        delta.nextDagRunInfo(first.dataInterval(), restriction, AFTER_DATE).orElseThrow();
    assertThat(second.dataInterval().start()).isEqualTo(first.dataInterval().end());
  }

  @Test
  void deltaNoCatchupRoundsNowToTheEpochGrid() {
    // Airflow's _round: now 10:20 with a 1h delta -> 10:00, minus one interval -> [09:00, 10:00).
    DeltaDataIntervalTimetable delta = new DeltaDataIntervalTimetable(Duration.ofHours(1));
    Instant now = Instant.parse("2023-03-06T10:20:00Z");
    assertThat(delta.nextDagRunInfo(null, new TimeRestriction(START_DATE, null, false), now))
        .contains(
            DagRunInfo.interval(
                Instant.parse("2023-03-06T09:00:00Z"), Instant.parse("2023-03-06T10:00:00Z")));
  }

  @Test
  void deltaManualIntervalEndsAtRunAfter() {
    DeltaDataIntervalTimetable delta = new DeltaDataIntervalTimetable(Duration.ofDays(1));
    assertThat(delta.inferManualDataInterval(DURING_DATE))
        .isEqualTo(new DataInterval(DURING_DATE.minus(Duration.ofDays(1)), DURING_DATE));
  }

  @Test
  void deltaMustBePositive() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new DeltaDataIntervalTimetable(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("schedule interval must be positive");
  }
}
