package io.updraft.timetable;

import io.updraft.dag.Dag;
import io.updraft.dag.Schedule;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/** Builds the timetable a DAG's schedule describes. */
public final class Timetables {
  private Timetables() {}

  /**
   * The timetable of a DAG, evaluated in the DAG's time zone.
   *
   * @throws IllegalArgumentException if the DAG's cron expression is invalid
   */
  public static Timetable of(Dag dag) {
    return of(dag.schedule(), dag.timezone());
  }

  /** The timetable of a schedule, cron evaluated in {@code zone}. */
  public static Timetable of(Schedule schedule, ZoneId zone) {
    return switch (schedule) {
      case Schedule.Manual m -> new NullTimetable();
      case Schedule.Once o -> new OnceTimetable();
      case Schedule.Continuous c -> new ContinuousTimetable();
      case Schedule.Cron cron when cron.trigger() ->
          new CronTriggerTimetable(CronExpression.parse(cron.expression()), zone);
      case Schedule.Cron cron ->
          new CronDataIntervalTimetable(CronExpression.parse(cron.expression()), zone);
      case Schedule.Delta delta -> new DeltaDataIntervalTimetable(delta.interval());
    };
  }

  /**
   * The first {@code count} runs the DAG's schedule creates from its start date, in order, as with
   * catchup on; see {@link NextRuns#of}.
   */
  public static List<DagRunInfo> nextRuns(Dag dag, int count, Instant since) {
    return NextRuns.of(dag, count, since);
  }
}
