package io.updraft.store;

import java.util.Objects;

/**
 * A task instance to create with its run, from the task in the run's serialized DAG.
 *
 * @param mapIndex -1 for an unmapped task
 * @param priorityWeight the effective weight ({@link io.updraft.rules.PriorityWeights})
 * @param maxTries the task's {@code retries}
 */
public record NewTaskInstance(
    String taskId,
    int mapIndex,
    int priorityWeight,
    String pool,
    int poolSlots,
    String queue,
    String operator,
    int maxTries) {
  public NewTaskInstance {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(pool, "pool");
  }
}
