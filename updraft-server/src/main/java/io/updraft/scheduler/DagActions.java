package io.updraft.scheduler;

import io.updraft.store.ChangeSignals;
import io.updraft.store.DagRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.Database;
import io.updraft.store.LogRepository;
import io.updraft.store.SerializedDagRepository;
import java.time.Instant;

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
}
