package io.updraft.metrics;

import io.micrometer.core.instrument.Gauge;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;

/**
 * The triggerers of this process: the room they have left (Airflow's {@code
 * triggerer.capacity_left}), and pushed to StatsD only, the triggers they hold ({@code
 * triggers.running}; the API server reads the cluster's from the database, {@link ClusterGauges}).
 */
public final class TriggererMetrics {
  private record Tracked(IntSupplier held, IntSupplier free) {}

  private static final List<Tracked> TRIGGERERS = new CopyOnWriteArrayList<>();

  static {
    Gauge.builder("updraft.triggerer.capacity.left", TRIGGERERS, t -> sum(t, Tracked::free))
        .description("Triggers the triggerers of this process could still take")
        .strongReference(true)
        .register(Metrics.registry());
    Gauge.builder("updraft.triggerer.triggers.running", TRIGGERERS, t -> sum(t, Tracked::held))
        .description("Triggers the triggerers of this process hold")
        .strongReference(true)
        .register(Metrics.pushOnly());
  }

  private TriggererMetrics() {}

  /** Counts a triggerer until the returned handle is closed. */
  public static Metrics.Tracking track(IntSupplier held, IntSupplier free) {
    Tracked t = new Tracked(held, free);
    TRIGGERERS.add(t);
    return () -> TRIGGERERS.remove(t);
  }

  private static double sum(
      List<Tracked> all, java.util.function.Function<Tracked, IntSupplier> f) {
    long sum = 0;
    for (Tracked t : all) {
      sum += Math.max(0, f.apply(t).getAsInt());
    }
    return sum;
  }
}
