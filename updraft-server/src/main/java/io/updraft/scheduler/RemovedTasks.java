package io.updraft.scheduler;

import io.updraft.dag.Dag;
import io.updraft.dag.Task;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Tasks deleted from a DAG while runs of an older version are still going. A run keeps the version
 * it was created with, so a task added later never appears in it; but a task the user removed
 * should not start any more, so it becomes {@code removed} and the run goes on as if the task had
 * never been there — its downstream tasks no longer wait for it (what Airflow does by running old
 * runs on the new DAG). Pure.
 */
final class RemovedTasks {
  private RemovedTasks() {}

  /** The task_ids of {@code runVersion} that {@code latest} no longer has. */
  static Set<String> of(Dag runVersion, Dag latest) {
    Set<String> now = new HashSet<>(latest.tasksById().keySet());
    Set<String> removed = new HashSet<>();
    for (Task t : runVersion.tasks()) {
      if (!now.contains(t.taskId())) {
        removed.add(t.taskId());
      }
    }
    return removed;
  }

  /** {@code dag} without the removed tasks, and without them in any task's upstream list. */
  static Dag without(Dag dag, Set<String> removed) {
    List<Task> kept =
        dag.tasks().stream()
            .filter(t -> !removed.contains(t.taskId()))
            .map(
                t ->
                    t.upstream().stream().anyMatch(removed::contains)
                        ? t.withUpstream(
                            t.upstream().stream().filter(u -> !removed.contains(u)).toList())
                        : t)
            .toList();
    return dag.withTasks(kept);
  }
}
