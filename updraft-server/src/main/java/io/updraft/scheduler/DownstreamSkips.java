package io.updraft.scheduler;

import io.updraft.dag.Dag;
import io.updraft.dag.Task;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.StateChange;
import io.updraft.store.TaskInstanceRow;
import io.updraft.worker.Downstream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The skips a finished {@code branch} or {@code short_circuit} try asks for, as Airflow's SkipMixin
 * does them: a branch skips its direct downstream tasks that it did not follow (the tasks after
 * those then follow their trigger rules); a short circuit whose condition was false skips every
 * task downstream of it, whatever their trigger rules. Only tasks that have not started yet (no
 * state, or scheduled) are skipped. Pure.
 */
public final class DownstreamSkips {
  private DownstreamSkips() {}

  /**
   * @param tis the run's task instances as they are now
   */
  public static List<StateChange> of(
      Dag dag, String taskId, Downstream downstream, List<TaskInstanceRow> tis) {
    Set<String> skip =
        switch (downstream) {
          case Downstream.Proceed p -> Set.of();
          case Downstream.Follow f -> {
            Set<String> direct = new LinkedHashSet<>(children(dag).getOrDefault(taskId, List.of()));
            direct.removeAll(f.taskIds());
            yield direct;
          }
          case Downstream.SkipAll s -> descendants(dag, taskId);
        };
    if (skip.isEmpty()) {
      return List.of();
    }
    List<StateChange> changes = new ArrayList<>();
    for (TaskInstanceRow ti : tis) {
      if (skip.contains(ti.taskId()) && notStarted(ti.state())) {
        changes.add(new StateChange(ti.id(), ti.state(), TaskInstanceState.SKIPPED));
      }
    }
    return changes;
  }

  private static boolean notStarted(TaskInstanceState state) {
    return state == TaskInstanceState.NONE || state == TaskInstanceState.SCHEDULED;
  }

  private static Map<String, List<String>> children(Dag dag) {
    Map<String, List<String>> children = new HashMap<>();
    for (Task t : dag.tasks()) {
      for (String up : t.upstream()) {
        children.computeIfAbsent(up, k -> new ArrayList<>()).add(t.taskId());
      }
    }
    return children;
  }

  private static Set<String> descendants(Dag dag, String taskId) {
    Map<String, List<String>> children = children(dag);
    Set<String> seen = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(children.getOrDefault(taskId, List.of()));
    while (!todo.isEmpty()) {
      String next = todo.pop();
      if (seen.add(next)) {
        todo.addAll(children.getOrDefault(next, List.of()));
      }
    }
    return seen;
  }
}
