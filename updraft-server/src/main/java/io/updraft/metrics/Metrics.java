package io.updraft.metrics;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;

/**
 * The process's meter registry, one per JVM as Airflow's {@code Stats}: every component records
 * into {@link #registry()} wherever it runs, an API server in the same JVM serves what it holds
 * ({@link MetricsScrape}), and {@link StatsdExport} may push it to StatsD as well.
 *
 * <p>Two composites: {@link #registry()} feeds Prometheus and StatsD; {@link #pushOnly()} feeds
 * StatsD alone. The second holds this process's share of what the API server reads for the whole
 * cluster from the database (running task instances, triggers held), so a scrape never shows the
 * same name twice (decisions/0110). Meters registered before StatsD is switched on are added to it
 * when it is.
 */
public final class Metrics {
  private static final PrometheusMeterRegistry PROMETHEUS =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private static final CompositeMeterRegistry REGISTRY =
      new CompositeMeterRegistry(Clock.SYSTEM, List.of(PROMETHEUS));
  private static final CompositeMeterRegistry PUSH_ONLY = new CompositeMeterRegistry();

  static {
    // The JVM's own meters, for Prometheus only: Airflow sends none to StatsD, and StatsD users
    // would get dozens of gauges every poll that no Airflow dashboard reads.
    new JvmMemoryMetrics().bindTo(PROMETHEUS);
    new JvmGcMetrics().bindTo(PROMETHEUS);
    new JvmThreadMetrics().bindTo(PROMETHEUS);
    new ClassLoaderMetrics().bindTo(PROMETHEUS);
    new ProcessorMetrics().bindTo(PROMETHEUS);
    new UptimeMetrics().bindTo(PROMETHEUS);
  }

  private Metrics() {}

  /** A component counted in a process gauge until it is closed. */
  public interface Tracking extends AutoCloseable {
    @Override
    void close();
  }

  /** Where components record: served on {@code /metrics} and pushed to StatsD when it is on. */
  public static MeterRegistry registry() {
    return REGISTRY;
  }

  /** Meters only StatsD receives: this process's share of a cluster-wide gauge. */
  static MeterRegistry pushOnly() {
    return PUSH_ONLY;
  }

  /** The Prometheus registry behind {@link #registry()}, for the API server's scrape. */
  static PrometheusMeterRegistry prometheus() {
    return PROMETHEUS;
  }

  /** Adds a registry (StatsD) to both composites. */
  static synchronized void add(MeterRegistry exporter) {
    REGISTRY.add(exporter);
    PUSH_ONLY.add(exporter);
  }

  /** Removes what {@link #add} added. */
  static synchronized void remove(MeterRegistry exporter) {
    REGISTRY.remove(exporter);
    PUSH_ONLY.remove(exporter);
  }
}
