package io.updraft.scheduler;

import java.time.Instant;

/**
 * A scheduled task instance the critical section may queue, with the limits that apply to it.
 *
 * @param maxActiveTasks the DAG's max_active_tasks, per DagRun
 * @param maxActiveTisPerDag the task's max_active_tis_per_dag, across runs; null: no limit
 */
public record QueueCandidate(
    long id,
    String dagId,
    String runId,
    String taskId,
    String pool,
    int poolSlots,
    int priorityWeight,
    Instant logicalDate,
    int maxActiveTasks,
    Integer maxActiveTisPerDag) {}
