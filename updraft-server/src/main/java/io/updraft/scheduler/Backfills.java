package io.updraft.scheduler;

import io.updraft.UpdraftException;
import io.updraft.dag.Dag;
import io.updraft.state.DagRunState;
import io.updraft.store.DagRunRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.Database;
import io.updraft.store.NewDagRun;
import io.updraft.store.RunType;
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

  /**
   * Runs created per transaction: a few statements each (decisions/0144), short enough not to hold
   * a scheduler's reads of the new rows back.
   */
  static final int RUNS_PER_TRANSACTION = 500;

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
    List<DagRunRow> created = new ArrayList<>();
    List<Instant> skipped = new ArrayList<>();
    for (int first = 0; first < infos.size(); first += RUNS_PER_TRANSACTION) {
      List<NewDagRun> batch =
          infos.subList(first, Math.min(infos.size(), first + RUNS_PER_TRANSACTION)).stream()
              .map(info -> newRun(version, info))
              .toList();
      DagRunRepository.Created done =
          CreateDagRuns.createRunsRetrying(
              db, dag, batch, now, "backfill of " + dag.dagId(), d -> {});
      created.addAll(done.created());
      done.skipped().forEach(r -> skipped.add(r.logicalDate()));
    }
    return new Result(created, skipped);
  }

  private static NewDagRun newRun(DagVersions.Versioned version, DagRunInfo info) {
    return new NewDagRun(
        version.dag().dagId(),
        RunIds.of(RunType.BACKFILL, info.logicalDate()),
        RunType.BACKFILL,
        DagRunState.QUEUED,
        info.logicalDate(),
        info.dataInterval().start(),
        info.dataInterval().end(),
        info.runAfter(),
        null,
        version.hash(),
        null);
  }
}
