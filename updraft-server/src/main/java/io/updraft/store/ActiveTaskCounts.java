package io.updraft.store;

import java.util.Map;

/**
 * Queued plus running task instances, counted the three ways the critical section limits them: per
 * DAG ({@code max_active_tasks}), per run, and per task of a DAG ({@code max_active_tis_per_dag}).
 * Keys without any are absent.
 */
public record ActiveTaskCounts(
    Map<String, Integer> byDag, Map<RunKey, Integer> byRun, Map<DagTaskKey, Integer> byDagTask) {
  public record RunKey(String dagId, String runId) {}

  public record DagTaskKey(String dagId, String taskId) {}

  public ActiveTaskCounts {
    byDag = Map.copyOf(byDag);
    byRun = Map.copyOf(byRun);
    byDagTask = Map.copyOf(byDagTask);
  }

  public int dag(String dagId) {
    return byDag.getOrDefault(dagId, 0);
  }

  public int run(String dagId, String runId) {
    return byRun.getOrDefault(new RunKey(dagId, runId), 0);
  }

  public int dagTask(String dagId, String taskId) {
    return byDagTask.getOrDefault(new DagTaskKey(dagId, taskId), 0);
  }
}
