package io.updraft.timetable;

import io.updraft.dag.Dag;
import io.updraft.dag.Task;
import java.time.Instant;

/**
 * Bounds on the runs a timetable may produce, as Airflow's TimeRestriction.
 *
 * @param earliest the DAG's start_date (null: none)
 * @param latest the DAG's end_date, inclusive (null: none)
 * @param catchup whether missed intervals are all created (true) or only the newest (false)
 */
public record TimeRestriction(Instant earliest, Instant latest, boolean catchup) {

  /**
   * The restriction of a DAG as Airflow's {@code DAG._time_restriction} computes it: earliest is
   * the earliest start date of the DAG and its tasks; latest is the DAG's end date, unless every
   * task has an end date, in which case it is the latest of those and the DAG's.
   */
  public static TimeRestriction of(Dag dag) {
    Instant earliest = dag.startDate();
    for (Task task : dag.tasks()) {
      if (task.startDate() != null && (earliest == null || task.startDate().isBefore(earliest))) {
        earliest = task.startDate();
      }
    }
    Instant latest = dag.endDate();
    boolean allTasksEnd =
        !dag.tasks().isEmpty() && dag.tasks().stream().allMatch(t -> t.endDate() != null);
    if (allTasksEnd) {
      for (Task task : dag.tasks()) {
        if (latest == null || task.endDate().isAfter(latest)) {
          latest = task.endDate();
        }
      }
    }
    return new TimeRestriction(earliest, latest, dag.catchup());
  }

  /** The same bounds with catchup set as given. */
  public TimeRestriction withCatchup(boolean catchup) {
    return new TimeRestriction(earliest, latest, catchup);
  }
}
