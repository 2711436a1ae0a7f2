package io.updraft.scheduler;

import io.updraft.dag.Dag;
import io.updraft.dag.Task;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * The tasks upstream or downstream of some tasks of a DAG, all the way (Airflow's {@code
 * get_flat_relatives}): what clear and mark take with {@code upstream} or {@code downstream}.
 */
final class Relatives {
  private Relatives() {}

  /** Every task the given ones depend on, directly or not; the given ones are not included. */
  static Set<String> upstream(Dag dag, Collection<String> taskIds) {
    Set<String> found = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(taskIds);
    while (!todo.isEmpty()) {
      dag.task(todo.pop())
          .ifPresent(
              t -> {
                for (String up : t.upstream()) {
                  if (found.add(up)) {
                    todo.push(up);
                  }
                }
              });
    }
    found.removeAll(taskIds);
    return found;
  }

  /** Every task that depends on the given ones, directly or not; the given ones not included. */
  static Set<String> downstream(Dag dag, Collection<String> taskIds) {
    Set<String> found = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(taskIds);
    while (!todo.isEmpty()) {
      String id = todo.pop();
      for (Task t : dag.tasks()) {
        if (t.upstream().contains(id) && found.add(t.taskId())) {
          todo.push(t.taskId());
        }
      }
    }
    found.removeAll(taskIds);
    return found;
  }
}
