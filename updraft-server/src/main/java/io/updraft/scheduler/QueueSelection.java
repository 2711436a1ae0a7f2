package io.updraft.scheduler;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The choice at the heart of the critical section (scheduler step 4), as a pure function: which
 * scheduled task instances to queue now. Highest priority first, then the oldest logical date; an
 * instance is passed over — never blocking the ones behind it — when its pool has too few open
 * slots, its run is at {@code max_active_tasks}, its task at {@code max_active_tis_per_dag}, or its
 * pool does not exist. The executor's open slots cap the total.
 *
 * <p>The caller holds the pool rows locked while it applies the result, so no other scheduler can
 * fill the same slots in between (Airflow's critical section).
 */
public final class QueueSelection {
  private static final Comparator<QueueCandidate> ORDER =
      Comparator.comparingInt(QueueCandidate::priorityWeight)
          .reversed()
          .thenComparing(QueueCandidate::logicalDate)
          .thenComparingLong(QueueCandidate::id);

  private QueueSelection() {}

  public static List<QueueCandidate> select(List<QueueCandidate> candidates, Occupancy taken) {
    List<QueueCandidate> ordered = new ArrayList<>(candidates);
    ordered.sort(ORDER);
    Map<String, Integer> poolUsed = new HashMap<>(taken.poolOccupied());
    Map<Occupancy.RunKey, Integer> runUsed = new HashMap<>(taken.runActive());
    Map<Occupancy.TaskKey, Integer> taskUsed = new HashMap<>(taken.taskActive());
    int open = taken.executorOpenSlots();
    List<QueueCandidate> selected = new ArrayList<>();
    for (QueueCandidate c : ordered) {
      if (open <= 0) {
        break;
      }
      Integer size = taken.poolSizes().get(c.pool());
      if (size == null) {
        continue; // no such pool: the instance waits until the pool is created
      }
      int poolAfter = poolUsed.getOrDefault(c.pool(), 0) + c.poolSlots();
      if (size >= 0 && poolAfter > size) {
        continue;
      }
      Occupancy.RunKey run = new Occupancy.RunKey(c.dagId(), c.runId());
      int runAfter = runUsed.getOrDefault(run, 0) + 1;
      if (runAfter > c.maxActiveTasks()) {
        continue;
      }
      Occupancy.TaskKey task = new Occupancy.TaskKey(c.dagId(), c.taskId());
      int taskAfter = taskUsed.getOrDefault(task, 0) + 1;
      if (c.maxActiveTisPerDag() != null && taskAfter > c.maxActiveTisPerDag()) {
        continue;
      }
      poolUsed.put(c.pool(), poolAfter);
      runUsed.put(run, runAfter);
      taskUsed.put(task, taskAfter);
      open--;
      selected.add(c);
    }
    return selected;
  }
}
