package io.updraft.bench.jmh;

import io.updraft.dag.Dag;
import io.updraft.dag.Task;
import io.updraft.scheduler.TaskInstanceView;
import io.updraft.sdk.DagBuilder;
import io.updraft.sdk.Dags;
import io.updraft.sdk.Tasks;
import io.updraft.state.TaskInstanceState;
import java.util.HashMap;
import java.util.Map;

/**
 * A large DAG for the JMH benchmarks: {@code layers} layers of {@code width} tasks, each task after
 * the first layer depending on two tasks of the layer before — 10,000 tasks at 100 × 100.
 */
final class LayeredDag {
  private LayeredDag() {}

  static String id(int layer, int i) {
    return "l" + layer + "_" + i;
  }

  static Dag build(int layers, int width) {
    DagBuilder b = Dags.dag("layered").schedule((String) null);
    for (int layer = 0; layer < layers; layer++) {
      for (int i = 0; i < width; i++) {
        var task = Tasks.shell(id(layer, i), "true");
        if (layer > 0) {
          task.upstream(id(layer - 1, i), id(layer - 1, (i + 1) % width));
        }
        b.task(task);
      }
    }
    return b.build();
  }

  /**
   * The states of a run half way: layers before {@code doneLayers} succeeded, the layer at it is
   * half running and half succeeded, the rest have no state yet.
   */
  static Map<String, TaskInstanceView> midRun(Dag dag, int doneLayers) {
    Map<String, TaskInstanceView> m = new HashMap<>();
    for (Task t : dag.tasks()) {
      String[] parts = t.taskId().substring(1).split("_");
      int layer = Integer.parseInt(parts[0]);
      int i = Integer.parseInt(parts[1]);
      TaskInstanceState s =
          layer < doneLayers
              ? TaskInstanceState.SUCCESS
              : layer == doneLayers
                  ? (i % 2 == 0 ? TaskInstanceState.RUNNING : TaskInstanceState.SUCCESS)
                  : TaskInstanceState.NONE;
      m.put(t.taskId(), new TaskInstanceView(t.taskId(), s, null));
    }
    return m;
  }
}
