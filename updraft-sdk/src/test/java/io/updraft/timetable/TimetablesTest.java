package io.updraft.timetable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.updraft.dag.Dag;
import io.updraft.dag.Schedule;
import io.updraft.dag.Task;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimetablesTest {
  static final ZoneId AMS = ZoneId.of("Europe/Amsterdam");

  static Dag dag(Schedule schedule) {
    return NextRunsTest.dag(schedule, AMS, Instant.parse("2024-01-01T00:00:00Z"), null);
  }

  @Test
  void eachScheduleGetsItsTimetable() {
    assertThat(Timetables.of(dag(new Schedule.Manual()))).isEqualTo(new NullTimetable());
    assertThat(Timetables.of(dag(new Schedule.Once()))).isEqualTo(new OnceTimetable());
    assertThat(Timetables.of(dag(new Schedule.Continuous()))).isEqualTo(new ContinuousTimetable());
    assertThat(Timetables.of(dag(Schedule.Cron.of("@daily", false))))
        .isEqualTo(new CronDataIntervalTimetable(CronExpression.parse("0 0 * * *"), AMS));
    assertThat(Timetables.of(dag(Schedule.Cron.of("@daily", true))))
        .isEqualTo(new CronTriggerTimetable(CronExpression.parse("0 0 * * *"), AMS));
    assertThat(Timetables.of(dag(new Schedule.Delta("PT1H", Duration.ofHours(1)))))
        .isEqualTo(new DeltaDataIntervalTimetable(Duration.ofHours(1)));
  }

  @Test
  void summariesAndPeriodic() {
    Timetable cron = Timetables.of(dag(Schedule.Cron.of("@daily", false)));
    assertThat(cron.summary()).isEqualTo("0 0 * * *");
    assertThat(cron.periodic()).isTrue();
    assertThat(Timetables.of(dag(new Schedule.Delta("1h", Duration.ofHours(1)))).summary())
        .isEqualTo("PT1H");
    assertThat(Timetables.of(dag(new Schedule.Once())).summary()).isEqualTo("@once");
    assertThat(Timetables.of(dag(new Schedule.Continuous())).periodic()).isFalse();
  }

  @Test
  void badCronIsRejectedWithTheParserMessage() {
    assertThatThrownBy(() -> Timetables.of(dag(Schedule.Cron.of("0 0 30 2 *", false))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("never matches");
  }

  static Task task(String id, Instant start, Instant end) {
    return new Task(
        id, "shell", null, null, null, 0, null, false, null, null, null, 1, 1, null, null, null,
        false, false, start, end, null, null, null);
  }

  @Test
  void timeRestrictionTakesTaskDatesAsAirflowDoes() {
    Instant dagStart = Instant.parse("2024-01-10T00:00:00Z");
    Instant dagEnd = Instant.parse("2024-02-01T00:00:00Z");
    Instant early = Instant.parse("2024-01-05T00:00:00Z");
    Instant late = Instant.parse("2024-03-01T00:00:00Z");
    Dag someTasksEnd =
        new Dag(
            "d",
            null,
            Schedule.Cron.of("@daily", false),
            AMS,
            dagStart,
            dagEnd,
            true,
            16,
            16,
            null,
            null,
            null,
            List.of(task("a", early, late), task("b", null, null)));
    assertThat(TimeRestriction.of(someTasksEnd))
        .isEqualTo(new TimeRestriction(early, dagEnd, true));
    Dag allTasksEnd =
        new Dag(
            "d",
            null,
            Schedule.Cron.of("@daily", false),
            AMS,
            dagStart,
            dagEnd,
            false,
            16,
            16,
            null,
            null,
            null,
            List.of(task("a", null, late), task("b", null, dagEnd)));
    assertThat(TimeRestriction.of(allTasksEnd))
        .isEqualTo(new TimeRestriction(dagStart, late, false));
  }
}
