package io.updraft.cli;

import io.updraft.store.DagRunRow;
import io.updraft.store.SerializedDagRepository;
import io.updraft.store.StoredDag;
import io.updraft.store.TaskInstanceRow;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON objects of SPEC §2.1 for runs and task instances, fields in the documented order. */
final class RunJson {
  private RunJson() {}

  /**
   * A run with the DAG version it runs on: {@code dag_version} (its number, 1 for the DAG's first
   * version; null when that version is no longer stored) and {@code dag_hash}.
   */
  static Map<String, Object> run(DagRunRow r, SerializedDagRepository versions) {
    Map<String, Object> m = run(r);
    m.put(
        "dag_version",
        r.dagHash() == null
            ? null
            : versions.get(r.dagId(), r.dagHash()).map(StoredDag::versionNumber).orElse(null));
    m.put("dag_hash", r.dagHash());
    return m;
  }

  static Map<String, Object> run(DagRunRow r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("dag_id", r.dagId());
    m.put("run_id", r.runId());
    m.put("run_type", r.runType().id());
    m.put("state", r.state().id());
    m.put("logical_date", JsonOutput.instant(r.logicalDate()));
    m.put("data_interval_start", JsonOutput.instant(r.dataIntervalStart()));
    m.put("data_interval_end", JsonOutput.instant(r.dataIntervalEnd()));
    m.put("start_date", JsonOutput.instant(r.startDate()));
    m.put("end_date", JsonOutput.instant(r.endDate()));
    return m;
  }

  static Map<String, Object> task(TaskInstanceRow t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("task_id", t.taskId());
    m.put("state", t.state().id());
    m.put("try_number", t.tryNumber());
    m.put("start_date", JsonOutput.instant(t.startDate()));
    m.put("end_date", JsonOutput.instant(t.endDate()));
    m.put("duration", t.duration());
    return m;
  }
}
