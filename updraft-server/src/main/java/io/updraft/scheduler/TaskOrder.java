package io.updraft.scheduler;

import io.updraft.dag.Dag;
import io.updraft.dag.Task;
import io.updraft.store.TaskInstanceRow;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The order in which commands list a run's task instances: the DAG's order — by depth (a task after
 * all its upstream tasks), then by task_id — and a mapped task's instances by map_index. Instances
 * of tasks the DAG no longer has come last, by task_id. Text order would put t10 before t2 and a
 * load before its extract. Shared by the CLI and the web UI's grid.
 */
public final class TaskOrder {
  private TaskOrder() {}

  public static List<TaskInstanceRow> sort(Dag dag, List<TaskInstanceRow> tis) {
    Map<String, Integer> depth = depths(dag);
    return tis.stream()
        .sorted(
            Comparator.comparing(
                    (TaskInstanceRow ti) -> depth.getOrDefault(ti.taskId(), Integer.MAX_VALUE))
                .thenComparing(TaskInstanceRow::taskId)
                .thenComparingInt(TaskInstanceRow::mapIndex))
        .toList();
  }

  /** The DAG's task_ids in that order: by depth, then by task_id. */
  public static List<String> taskIds(Dag dag) {
    Map<String, Integer> depth = depths(dag);
    return dag.tasks().stream()
        .map(Task::taskId)
        .sorted(Comparator.comparing((String t) -> depth.get(t)).thenComparing(t -> t))
        .toList();
  }

  /** Each task's depth: 0 for a task without upstream, else one more than its deepest upstream. */
  private static Map<String, Integer> depths(Dag dag) {
    Map<String, Integer> depth = new HashMap<>();
    for (Task t : RunDecisions.topologicalOrder(dag)) {
      int d = 0;
      for (String u : t.upstream()) {
        d = Math.max(d, depth.get(u) + 1);
      }
      depth.put(t.taskId(), d);
    }
    return depth;
  }
}
