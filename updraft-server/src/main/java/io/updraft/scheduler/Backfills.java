package io.updraft.scheduler;

import io.updraft.UpdraftException;
import io.updraft.dag.Dag;
import io.updraft.state.DagRunState;
import io.updraft.store.DagRunRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.Database;
import io.updraft.store.DuplicateDagRunException;
import io.updraft.store.NewDagRun;
import io.updraft.store.RunType;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.timetable.DagRunInfo;
import io.updraft.timetable.Timetables;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code dags backfill}: one queued run of type {@code backfill} for every run the DAG's schedule
 * has with a logical date from {@code from} to {@code to}, both included, as if catchup had been
 * on. Logical dates that already have a run are left alone (Airflow's default reprocess behaviour,
 * {@code none}). The scheduler then runs them oldest first within {@code max_active_runs}.
 */
public final class Backfills {
  /** More runs than this in one backfill is almost surely a typo in the dates. */
  static final int MAX_RUNS = 10_000;

  /** The runs created, and the logical dates skipped because a run had them. */
  public record Result(List<DagRunRow> created, List<Instant> skipped) {}

  private Backfills() {}

  public static Result create(
      Database db, DagVersions.Versioned version, Instant from, Instant to, Instant now) {
    Dag dag = version.dag();
    if (to.isBefore(from)) {
      throw new UpdraftException("--to " + to + " is before --from " + from + " — swap them");
    }
    List<DagRunInfo> infos =
        Timetables.nextRuns(dag, MAX_RUNS + 1, from).stream()
            .filter(i -> !i.logicalDate().isAfter(to))
            .toList();
    if (infos.size() > MAX_RUNS) {
      throw new UpdraftException(
          "the range holds more than "
              + MAX_RUNS
              + " runs of "
              + dag.dagId()
              + " — backfill it in parts");
    }
    if (infos.isEmpty()) {
      throw new UpdraftException(
          "DAG '"
              + dag.dagId()
              + "' has no scheduled run with a logical date from "
              + from
              + " to "
              + to
              + " — check the dates and its schedule (updraft dags next-runs "
              + dag.dagId()
              + " --since "
              + from
              + ")");
    }
    DagRunRepository runs = new DagRunRepository(db);
    TaskInstanceRepository tis = new TaskInstanceRepository(db);
    List<DagRunRow> created = new ArrayList<>();
    List<Instant> skipped = new ArrayList<>();
    for (DagRunInfo info : infos) {
      String runId = RunIds.of(RunType.BACKFILL, info.logicalDate());
      try {
        db.runInTransaction(
            () ->
                CreateDagRuns.createRun(
                    runs,
                    tis,
                    db,
                    dag,
                    new NewDagRun(
                        dag.dagId(),
                        runId,
                        RunType.BACKFILL,
                        DagRunState.QUEUED,
                        info.logicalDate(),
                        info.dataInterval().start(),
                        info.dataInterval().end(),
                        info.runAfter(),
                        null,
                        version.hash(),
                        null),
                    now));
        created.add(runs.get(dag.dagId(), runId).orElseThrow());
      } catch (DuplicateDagRunException e) {
        skipped.add(info.logicalDate());
      }
    }
    return new Result(created, skipped);
  }
}
