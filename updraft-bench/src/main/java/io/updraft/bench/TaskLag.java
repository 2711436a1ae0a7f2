package io.updraft.bench;

import io.updraft.store.TaskInstanceRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Task lag, as Airflow's published benchmarks define it: for each task after the first of a line,
 * the time from its upstream's end to its own start — what the scheduler and executor add between
 * two tasks. Read from the task_instance rows' start and end dates.
 */
final class TaskLag {
  private TaskLag() {}

  /** The lag of each hop of a line t1 → t2 → … (task ids {@code t<n>}), in milliseconds. */
  static List<Double> hopsMillis(List<TaskInstanceRow> line) {
    List<TaskInstanceRow> ordered = new ArrayList<>(line);
    ordered.sort(Comparator.comparingInt(ti -> Integer.parseInt(ti.taskId().substring(1))));
    List<Double> hops = new ArrayList<>(ordered.size());
    for (int i = 1; i < ordered.size(); i++) {
      TaskInstanceRow upstream = ordered.get(i - 1);
      TaskInstanceRow task = ordered.get(i);
      if (upstream.endDate() == null || task.startDate() == null) {
        throw new IllegalStateException(
            "task " + task.taskId() + " of " + task.runId() + " has no start or upstream end");
      }
      hops.add(Duration.between(upstream.endDate(), task.startDate()).toNanos() / 1e6);
    }
    return hops;
  }

  /** {@code lag_total_s}, {@code lag_p50_ms} and {@code lag_p99_ms} of all hops. */
  static Map<String, Double> summary(List<Double> hopsMillis) {
    if (hopsMillis.isEmpty()) {
      throw new IllegalArgumentException("no hops to summarise");
    }
    List<Double> sorted = new ArrayList<>(hopsMillis);
    sorted.sort(null);
    double total = sorted.stream().mapToDouble(Double::doubleValue).sum();
    Map<String, Double> out = new TreeMap<>();
    out.put("lag_total_s", total / 1000);
    out.put("lag_p50_ms", percentile(sorted, 50));
    out.put("lag_p99_ms", percentile(sorted, 99));
    return out;
  }

  /** The nearest-rank percentile of sorted values. */
  static double percentile(List<Double> sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }
}
