package io.updraft.scheduler;

import io.updraft.dag.Dag;
import io.updraft.dag.RunIdRule;
import io.updraft.dag.Schedule;
import io.updraft.state.DagRunState;
import io.updraft.store.DagRunRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.Database;
import io.updraft.store.NewDagRun;
import io.updraft.store.RunType;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.timetable.CronExpression;
import io.updraft.timetable.DagRunInfo;
import io.updraft.timetable.DataInterval;
import io.updraft.timetable.TimeRestriction;
import io.updraft.timetable.Timetables;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Optional;

/**
 * Manual runs (the CLI's {@code dags trigger}, later the REST API): a queued DagRun on the DAG's
 * newest version with its task instances; the scheduler starts it like any queued run.
 *
 * <p>Its data interval follows SPEC §1.1: a logical date on a schedule boundary gets the interval
 * that starts there — the same interval the scheduled run of that date would have — and any other
 * logical date gets Airflow's inferred interval (for cron, the last complete one before it).
 */
public final class ManualRuns {
  private ManualRuns() {}

  /**
   * @param runId null: {@code manual__<logical date>}
   * @throws RunIdRule.InvalidRunIdException if {@code runId} breaks Airflow's run_id rule
   * @param confJson the run's conf as a JSON object, or null
   * @throws io.updraft.store.DuplicateDagRunException if the run_id or logical date is taken
   */
  public static DagRunRow trigger(
      Database db,
      DagVersions.Versioned version,
      Instant logicalDate,
      String runId,
      String confJson,
      Instant now) {
    Dag dag = version.dag();
    String id = runId != null ? RunIdRule.require(runId) : RunIds.of(RunType.MANUAL, logicalDate);
    DataInterval interval = dataInterval(dag, logicalDate);
    DagRunRepository runs = new DagRunRepository(db);
    NewDagRun run =
        new NewDagRun(
            dag.dagId(),
            id,
            RunType.MANUAL,
            DagRunState.QUEUED,
            logicalDate,
            interval.start(),
            interval.end(),
            logicalDate,
            confJson,
            version.hash(),
            null);
    // The row as written, not read back: one round trip less per trigger (issue 15).
    return db.inTransaction(
        () ->
            DagRunRepository.inserted(
                CreateDagRuns.createRun(runs, new TaskInstanceRepository(db), db, dag, run, now),
                run,
                now));
  }

  /** The data interval of a manual run with this logical date. */
  public static DataInterval dataInterval(Dag dag, Instant logicalDate) {
    boolean boundary =
        switch (dag.schedule()) {
          case Schedule.Cron cron when !cron.trigger() -> {
            LocalDateTime local = logicalDate.atZone(dag.timezone()).toLocalDateTime();
            yield local.getSecond() == 0
                && local.getNano() == 0
                && CronExpression.parse(cron.expression()).matches(local);
          }
          case Schedule.Delta delta ->
              dag.startDate() != null
                  && !logicalDate.isBefore(dag.startDate())
                  && Duration.between(dag.startDate(), logicalDate).toNanos()
                          % delta.interval().toNanos()
                      == 0;
          default -> false;
        };
    if (boundary) {
      Optional<DataInterval> scheduled =
          Timetables.of(dag)
              .nextDagRunInfo(null, new TimeRestriction(logicalDate, null, true), logicalDate)
              .map(DagRunInfo::dataInterval)
              .filter(i -> i.start().equals(logicalDate));
      if (scheduled.isPresent()) {
        return scheduled.get();
      }
    }
    return Timetables.of(dag).inferManualDataInterval(logicalDate);
  }
}
