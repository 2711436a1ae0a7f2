package io.updraft.ui;

import io.updraft.api.ApiException;
import io.updraft.dag.Dag;
import io.updraft.scheduler.DagVersions;
import io.updraft.store.DagRepository;
import io.updraft.store.DagRow;
import io.updraft.store.DagRunRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.SerializedDagRepository;
import io.updraft.store.StoredDag;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import java.util.List;

/**
 * Finds what a page's path names — a DAG, a run, a task instance, a DAG's version — or answers 404
 * saying what is missing. One per set of pages: it keeps the DAG versions it has read.
 */
final class Lookup {
  private final Ui ui;
  private final DagVersions versions;

  Lookup(Ui ui) {
    this.ui = ui;
    this.versions = new DagVersions(new SerializedDagRepository(ui.db()));
  }

  DagRow dag(String dagId) {
    return new DagRepository(ui.db())
        .get(dagId)
        .orElseThrow(() -> ApiException.notFound("no DAG '" + dagId + "'"));
  }

  DagRunRow run(String dagId, String runId) {
    return new DagRunRepository(ui.db())
        .get(dagId, runId)
        .orElseThrow(() -> ApiException.notFound("DAG '" + dagId + "' has no run '" + runId + "'"));
  }

  /** The task instances of a run (one query). */
  List<TaskInstanceRow> instances(String dagId, String runId) {
    return new TaskInstanceRepository(ui.db()).listForRun(dagId, runId);
  }

  TaskInstanceRow instance(String dagId, String runId, String taskId, int mapIndex) {
    return instances(dagId, runId).stream()
        .filter(t -> t.taskId().equals(taskId) && t.mapIndex() == mapIndex)
        .findFirst()
        .orElseThrow(
            () ->
                ApiException.notFound(
                    "run '"
                        + runId
                        + "' of DAG '"
                        + dagId
                        + "' has no task instance '"
                        + taskId
                        + "'"
                        + (mapIndex < 0 ? "" : " [" + mapIndex + "]")));
  }

  /** The DAG as a run was created with it. */
  Dag dagOf(DagRunRow run) {
    return versions.get(run.dagId(), run.dagHash());
  }

  /** The DAG's version hash: the run's, else the newest. */
  String hash(String dagId, DagRunRow run) {
    if (run != null) {
      return run.dagHash();
    }
    return new SerializedDagRepository(ui.db())
        .latest(dagId)
        .map(StoredDag::hash)
        .orElseThrow(
            () ->
                ApiException.notFound(
                    "DAG '" + dagId + "' has no stored version yet: its file was not read"));
  }

  Dag dag(String dagId, String hash) {
    return versions.get(dagId, hash);
  }
}
