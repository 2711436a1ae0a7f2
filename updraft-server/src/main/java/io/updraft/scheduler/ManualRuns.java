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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

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
    NewDagRun run = newRun(version, new Request(runId, logicalDate, confJson));
    DagRunRepository runs = new DagRunRepository(db);
    // The row as written, not read back: one round trip less per trigger (issue 15).
    return db.inTransaction(
        () ->
            DagRunRepository.inserted(
                CreateDagRuns.createRun(
                    runs, new TaskInstanceRepository(db), db, version.dag(), run, now),
                run,
                now));
  }

  /**
   * One manual run of a bulk trigger.
   *
   * @param runId null: {@code manual__<logical date>}
   * @param logicalDate the run's logical date (the caller decides what a missing one means)
   * @param confJson the run's conf as a JSON object, or null
   */
  public record Request(String runId, Instant logicalDate, String confJson) {}

  /**
   * What {@link #triggerAll} did.
   *
   * @param created the runs created, in the order asked
   * @param taken the positions in the list of the requests whose run_id or logical date was taken
   *     (by a run of the DAG or an earlier request of the list)
   * @param runIds the run_id of each request, in the order asked
   */
  public record Bulk(List<DagRunRow> created, List<Integer> taken, List<String> runIds) {}

  /**
   * Creates the manual runs of many requests on the DAG's newest version in one transaction of a
   * few statements, as a backfill does (decisions/0144, 0175). With {@code skipTaken} a request
   * whose run_id or logical date is taken is left out; without it, one taken request means no run
   * is created, and the taken ones are returned. A run of the same date that a scheduler creates
   * meanwhile is found by a fresh read and treated the same way.
   *
   * @param alsoWrite writes more in the same transaction with the runs created (the audit rows)
   * @throws RunIdRule.InvalidRunIdException if a run_id breaks Airflow's run_id rule
   */
  public static Bulk triggerAll(
      Database db,
      DagVersions.Versioned version,
      List<Request> requests,
      boolean skipTaken,
      Instant now,
      Consumer<List<DagRunRow>> alsoWrite) {
    List<NewDagRun> runs = requests.stream().map(r -> newRun(version, r)).toList();
    List<String> runIds = runs.stream().map(NewDagRun::runId).toList();
    DagRunRepository.Created done;
    try {
      done =
          CreateDagRuns.createRunsRetrying(
              db,
              version.dag(),
              runs,
              now,
              "triggering " + runs.size() + " runs of " + version.dag().dagId(),
              d -> {
                if (!skipTaken && !d.skipped().isEmpty()) {
                  throw new Taken(d.skipped());
                }
                alsoWrite.accept(d.created());
              });
    } catch (Taken t) {
      // Undone: one taken run_id or date, and nothing is created.
      return new Bulk(List.of(), positions(t.skipped, runs), runIds);
    }
    return new Bulk(done.created(), positions(done.skipped(), runs), runIds);
  }

  /** The positions in {@code runs} of {@code skipped}, a sublist of it in the same order. */
  private static List<Integer> positions(List<NewDagRun> skipped, List<NewDagRun> runs) {
    List<Integer> of = new ArrayList<>(skipped.size());
    for (int i = 0, s = 0; i < runs.size() && s < skipped.size(); i++) {
      if (runs.get(i) == skipped.get(s)) {
        of.add(i);
        s++;
      }
    }
    return of;
  }

  /** Thrown inside the transaction to undo a bulk trigger that found a taken run. */
  private static final class Taken extends RuntimeException {
    private final List<NewDagRun> skipped;

    Taken(List<NewDagRun> skipped) {
      super(null, null, false, false);
      this.skipped = skipped;
    }
  }

  private static NewDagRun newRun(DagVersions.Versioned version, Request request) {
    Dag dag = version.dag();
    Instant logicalDate = request.logicalDate();
    String id =
        request.runId() != null
            ? RunIdRule.require(request.runId())
            : RunIds.of(RunType.MANUAL, logicalDate);
    DataInterval interval = dataInterval(dag, logicalDate);
    return new NewDagRun(
        dag.dagId(),
        id,
        RunType.MANUAL,
        DagRunState.QUEUED,
        logicalDate,
        interval.start(),
        interval.end(),
        logicalDate,
        request.confJson(),
        version.hash(),
        null);
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
