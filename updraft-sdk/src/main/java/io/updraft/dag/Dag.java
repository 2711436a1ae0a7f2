package io.updraft.dag;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A DAG as the scheduler sees it: pure, immutable, with {@code default_args} resolved into its
 * tasks. Built from a YAML file by the DAG processor or from Java through {@code updraft-sdk}; both
 * produce equal values and the same serialized JSON.
 *
 * @param timezone null, or any zone fixed at offset zero, becomes {@link DagValues#UTC}
 * @param startDate null only for a manual-only DAG ({@code schedule: null}) without one
 * @param endDate inclusive; null: none
 * @param dagrunTimeout null: none
 * @param tasks in the order they were declared; task_ids are unique
 * @param callbacks on_success and on_failure of its runs ({@link Callbacks#NONE}: none)
 * @param deadline null: none
 */
public record Dag(
    String dagId,
    String description,
    Schedule schedule,
    ZoneId timezone,
    Instant startDate,
    Instant endDate,
    boolean catchup,
    int maxActiveRuns,
    int maxActiveTasks,
    Duration dagrunTimeout,
    List<String> tags,
    Map<String, Object> params,
    List<Task> tasks,
    Callbacks callbacks,
    Deadline deadline) {

  public static final int DEFAULT_MAX_ACTIVE_RUNS = 16;
  public static final int DEFAULT_MAX_ACTIVE_TASKS = 16;

  public Dag {
    Objects.requireNonNull(dagId, "dagId");
    schedule = schedule == null ? new Schedule.Manual() : schedule;
    // UTC, Etc/UTC, Z, GMT... are one zone: equal DAGs and the same JSON whichever was written.
    timezone = DagValues.canonical(timezone);
    tags = tags == null ? List.of() : List.copyOf(tags);
    params = Task.frozen(params);
    tasks = tasks == null ? List.of() : List.copyOf(tasks);
    callbacks = callbacks == null ? Callbacks.NONE : callbacks;
  }

  /** A DAG without callbacks or deadline (the form before they existed). */
  public Dag(
      String dagId,
      String description,
      Schedule schedule,
      ZoneId timezone,
      Instant startDate,
      Instant endDate,
      boolean catchup,
      int maxActiveRuns,
      int maxActiveTasks,
      Duration dagrunTimeout,
      List<String> tags,
      Map<String, Object> params,
      List<Task> tasks) {
    this(
        dagId,
        description,
        schedule,
        timezone,
        startDate,
        endDate,
        catchup,
        maxActiveRuns,
        maxActiveTasks,
        dagrunTimeout,
        tags,
        params,
        tasks,
        Callbacks.NONE,
        null);
  }

  /** The same DAG with other tasks. */
  public Dag withTasks(List<Task> newTasks) {
    return new Dag(
        dagId,
        description,
        schedule,
        timezone,
        startDate,
        endDate,
        catchup,
        maxActiveRuns,
        maxActiveTasks,
        dagrunTimeout,
        tags,
        params,
        newTasks,
        callbacks,
        deadline);
  }

  public Optional<Task> task(String taskId) {
    return tasks.stream().filter(t -> t.taskId().equals(taskId)).findFirst();
  }

  /** The tasks by task_id, in declaration order. */
  public Map<String, Task> tasksById() {
    Map<String, Task> byId = new LinkedHashMap<>();
    for (Task t : tasks) {
      byId.putIfAbsent(t.taskId(), t);
    }
    return byId;
  }
}
