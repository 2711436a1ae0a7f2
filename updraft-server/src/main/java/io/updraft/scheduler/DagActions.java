package io.updraft.scheduler;

import io.updraft.state.DagRunState;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.ChangeSignals;
import io.updraft.store.DagRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.Database;
import io.updraft.store.LogRepository;
import io.updraft.store.SerializedDagRepository;
import java.time.Instant;
import java.util.List;

/**
 * What a person does to a DAG, once for every way in: the CLI's {@code dags trigger} and {@code
 * dags pause}, the REST API's {@code POST .../dagRuns} and {@code PATCH /dags/{dag_id}}. Each
 * writes the change, records it in the audit {@code log} with who did it, and wakes the schedulers
 * so they act on it at once rather than at their next pass.
 */
public final class DagActions {
  private DagActions() {}

  /**
   * Pauses or unpauses a DAG the database knows.
   *
   * @return false when the database has no such DAG (nothing is written)
   */
  public static boolean setPaused(
      Database db, String dagId, boolean paused, String who, Instant now) {
    if (!new DagRepository(db).setPaused(dagId, paused)) {
      return false;
    }
    new LogRepository(db).record(paused ? "pause" : "unpause", dagId, null, null, who, null, now);
    ChangeSignals.announce(db);
    return true;
  }

  /**
   * Creates a manual run on the DAG's newest version (see {@link ManualRuns#trigger}).
   *
   * @param runId null: {@code manual__<logical date>}
   * @param confJson the run's conf as a compact JSON object, or null
   */
  public static DagRunRow trigger(
      Database db,
      String dagId,
      Instant logicalDate,
      String runId,
      String confJson,
      String who,
      Instant now) {
    DagVersions.Versioned latest = new DagVersions(new SerializedDagRepository(db)).latest(dagId);
    DagRunRow run = ManualRuns.trigger(db, latest, logicalDate, runId, confJson, now);
    new LogRepository(db).record("trigger", dagId, null, run.runId(), who, confJson, now);
    ChangeSignals.announce(db);
    return run;
  }

  /**
   * Which task instances of a DAG to clear, as Airflow's {@code clearTaskInstances} body and the
   * UI's clear dialog name them.
   *
   * @param runId only this run; null: every run in {@code from}..{@code to}
   * @param taskIds exactly these tasks; null: every task
   * @param upstream also the tasks upstream of those
   * @param downstream also the tasks downstream of those
   * @param onlyFailed only instances that failed or are upstream_failed
   * @param onlyRunning only instances that are running
   * @param from earliest logical date, inclusive; null: no bound
   * @param to latest logical date, inclusive; null: no bound
   */
  public record ClearSpec(
      String runId,
      List<String> taskIds,
      boolean upstream,
      boolean downstream,
      boolean onlyFailed,
      boolean onlyRunning,
      Instant from,
      Instant to) {}

  /**
   * Clears task instances so the scheduler runs them again (the code {@code tasks clear} runs);
   * with {@code dryRun} only says which it would clear. Audited unless a dry run.
   *
   * @return the instances cleared (or that would be), with the states they had
   */
  public static List<ClearTasks.Instance> clear(
      Database db, String dagId, ClearSpec spec, boolean dryRun, String who, Instant now) {
    throw new UnsupportedOperationException("DagActions.clear: being built (issue 13)");
  }

  /**
   * Sets a task instance's state by hand (Airflow's "mark success/failed"), with its upstream or
   * downstream ones in the same run when asked; with {@code dryRun} only says which it would set.
   *
   * @param mapIndex -1 for an unmapped task
   * @return the instances set (or that would be), with the states they had
   */
  public static List<ClearTasks.Instance> markTaskInstance(
      Database db,
      String dagId,
      String runId,
      String taskId,
      int mapIndex,
      TaskInstanceState newState,
      boolean upstream,
      boolean downstream,
      boolean dryRun,
      String who,
      Instant now) {
    throw new UnsupportedOperationException("DagActions.markTaskInstance: being built (issue 13)");
  }

  /**
   * Sets a run's state by hand: success or failed (its unfinished task instances with it, as
   * Airflow's), or queued (runs it again from its task instances' states).
   *
   * @return false when the DAG has no such run
   */
  public static boolean markRun(
      Database db, String dagId, String runId, DagRunState newState, String who, Instant now) {
    throw new UnsupportedOperationException("DagActions.markRun: being built (issue 13)");
  }

  /**
   * Deletes a run with its task instances, XComs and other rows (not its log files).
   *
   * @return false when the DAG has no such run
   */
  public static boolean deleteRun(
      Database db, String dagId, String runId, String who, Instant now) {
    throw new UnsupportedOperationException("DagActions.deleteRun: being built (issue 13)");
  }
}
