package io.updraft.scheduler;

import java.util.Map;

/**
 * What is already taken when the critical section runs: queued and running task instances.
 *
 * @param poolSizes each pool's slots ({@code -1}: unlimited); a pool not listed does not exist
 * @param poolOccupied slots taken per pool
 * @param runActive task instances queued or running per DagRun
 * @param taskActive task instances queued or running per (DAG, task), across runs
 * @param executorOpenSlots how many more task instances the executor takes (parallelism − running)
 */
public record Occupancy(
    Map<String, Integer> poolSizes,
    Map<String, Integer> poolOccupied,
    Map<RunKey, Integer> runActive,
    Map<TaskKey, Integer> taskActive,
    int executorOpenSlots) {

  public record RunKey(String dagId, String runId) {}

  public record TaskKey(String dagId, String taskId) {}
}
