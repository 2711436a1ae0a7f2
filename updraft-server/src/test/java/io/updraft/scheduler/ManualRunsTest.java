package io.updraft.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.dag.Dag;
import io.updraft.sdk.Dags;
import io.updraft.sdk.Tasks;
import io.updraft.timetable.DataInterval;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SPEC §1.1: a manual run on a schedule boundary gets that boundary's interval. */
class ManualRunsTest {
  private static Dag dag(String schedule, String zone, String timetable) {
    return Dags.dag("d")
        .schedule(schedule)
        .timezone(zone)
        .timetable(timetable)
        .startDate("2024-01-01")
        .task(Tasks.empty("a"))
        .build();
  }

  @ParameterizedTest
  @CsvSource({
    // boundary: the interval that starts there (what the scheduled run would have)
    "@daily,    UTC,              interval, 2024-01-03T00:00:00Z, 2024-01-03T00:00:00Z, 2024-01-04T00:00:00Z",
    "0 2 * * *, Europe/Amsterdam, interval, 2024-01-03T01:00:00Z, 2024-01-03T01:00:00Z, 2024-01-04T01:00:00Z",
    "6h,        UTC,              interval, 2024-01-03T06:00:00Z, 2024-01-03T06:00:00Z, 2024-01-03T12:00:00Z",
    // not a boundary: Airflow's inference, the last complete interval before it
    "@daily,    UTC,              interval, 2024-01-03T05:00:00Z, 2024-01-02T00:00:00Z, 2024-01-03T00:00:00Z",
    "@daily,    UTC,              interval, 2024-01-03T00:00:01Z, 2024-01-02T00:00:00Z, 2024-01-03T00:00:00Z",
    "6h,        UTC,              interval, 2024-01-03T07:00:00Z, 2024-01-03T01:00:00Z, 2024-01-03T07:00:00Z",
    // trigger timetables: the run covers its own moment
    "@daily,    UTC,              trigger,  2024-01-03T05:00:00Z, 2024-01-03T05:00:00Z, 2024-01-03T05:00:00Z",
  })
  void intervalOfAManualRun(
      String schedule, String zone, String timetable, String logical, String start, String end) {
    DataInterval i =
        ManualRuns.dataInterval(dag(schedule, zone, timetable), Instant.parse(logical));
    assertThat(i).isEqualTo(new DataInterval(Instant.parse(start), Instant.parse(end)));
  }
}
