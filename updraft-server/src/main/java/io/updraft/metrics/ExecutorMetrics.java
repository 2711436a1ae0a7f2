package io.updraft.metrics;

import io.micrometer.core.instrument.Gauge;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;

/**
 * The executors of this process: their open slots (Airflow's {@code executor.open_slots}), and
 * pushed to StatsD only, the tries they run ({@code executor.running_tasks}; the API server reads
 * the cluster's running task instances from the database instead, {@link ClusterGauges}).
 */
public final class ExecutorMetrics {
  private record Tracked(IntSupplier openSlots, IntSupplier running) {}

  private static final List<Tracked> EXECUTORS = new CopyOnWriteArrayList<>();

  static {
    Gauge.builder("updraft.executor.open.slots", EXECUTORS, ExecutorMetrics::openSlots)
        .description("Task instances the executors of this process would still take")
        .strongReference(true)
        .register(Metrics.registry());
    Gauge.builder("updraft.executor.running.tasks", EXECUTORS, ExecutorMetrics::running)
        .description("Tries the executors of this process run")
        .strongReference(true)
        .register(Metrics.pushOnly());
  }

  private ExecutorMetrics() {}

  /** Counts an executor until the returned handle is closed. */
  public static Metrics.Tracking track(IntSupplier openSlots, IntSupplier running) {
    Tracked t = new Tracked(openSlots, running);
    EXECUTORS.add(t);
    return () -> EXECUTORS.remove(t);
  }

  private static double openSlots(List<Tracked> all) {
    long sum = 0;
    for (Tracked t : all) {
      sum += Math.max(0, t.openSlots().getAsInt());
    }
    return sum;
  }

  private static double running(List<Tracked> all) {
    long sum = 0;
    for (Tracked t : all) {
      sum += t.running().getAsInt();
    }
    return sum;
  }
}
