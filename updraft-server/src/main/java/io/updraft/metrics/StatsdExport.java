package io.updraft.metrics;

import io.micrometer.core.instrument.Clock;
import io.micrometer.statsd.StatsdConfig;
import io.micrometer.statsd.StatsdFlavor;
import io.micrometer.statsd.StatsdMeterRegistry;
import io.updraft.UpdraftException;
import io.updraft.config.ConfigKey;
import io.updraft.config.UpdraftConfig;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes this process's meters to a StatsD server over UDP, as Airflow's {@code [metrics]
 * statsd_on} does, under Airflow's names ({@link StatsdNames}). Every long-running command (the
 * scheduler, the triggerer, the DAG processor, the API server, standalone) starts it when {@code
 * metrics.statsd_on} is true; counters and timers are sent as they happen, one UDP datagram a line
 * ({@link UdpLines}), gauges every {@code every}.
 */
public final class StatsdExport implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StatsdExport.class);

  /** The StatsD server and the prefix of every name ({@code metrics.statsd_*}). */
  public record Settings(String host, int port, String prefix, Duration every) {
    public Settings {
      if (port < 1 || port > 65_535) {
        throw new UpdraftException(
            "metrics.statsd_port must be 1 to 65535, not " + port + " (StatsD listens on 8125)");
      }
    }

    /** From {@code metrics.statsd_host}, {@code _port}, {@code _prefix}; gauges every 10 s. */
    public static Settings of(UpdraftConfig config) {
      return new Settings(
          config.text(ConfigKey.STATSD_HOST),
          config.integer(ConfigKey.STATSD_PORT),
          config.text(ConfigKey.STATSD_PREFIX),
          Duration.ofSeconds(10));
    }
  }

  private static StatsdExport current;

  private final StatsdMeterRegistry registry;
  private final UdpLines udp;
  private final Settings settings;

  private StatsdExport(StatsdMeterRegistry registry, UdpLines udp, Settings settings) {
    this.registry = registry;
    this.udp = udp;
    this.settings = settings;
  }

  /**
   * Starts pushing if {@code metrics.statsd_on} says so, once per process (a second call returns
   * the first export); stopped with the JVM. Returns null when it is off.
   */
  public static synchronized StatsdExport startIfOn(UpdraftConfig config) {
    if (!config.bool(ConfigKey.STATSD_ON)) {
      return null;
    }
    if (current != null) {
      return current;
    }
    StatsdExport export = start(Settings.of(config));
    Runtime.getRuntime().addShutdownHook(new Thread(export::close, "statsd-flush"));
    return export;
  }

  /** Starts pushing to {@code settings}' server until {@link #close}. */
  public static synchronized StatsdExport start(Settings settings) {
    StatsdConfig config =
        new StatsdConfig() {
          @Override
          public String get(String key) {
            return null;
          }

          @Override
          public StatsdFlavor flavor() {
            return StatsdFlavor.ETSY; // plain StatsD, names with no tags: Airflow's
          }

          @Override
          public String host() {
            return settings.host();
          }

          @Override
          public int port() {
            return settings.port();
          }

          @Override
          public Duration pollingFrequency() {
            return settings.every();
          }
        };
    UdpLines udp = new UdpLines(settings.host(), settings.port());
    StatsdMeterRegistry registry =
        StatsdMeterRegistry.builder(config)
            .nameMapper(new StatsdNames(settings.prefix()))
            .clock(Clock.SYSTEM)
            .lineSink(udp)
            .build();
    Metrics.add(registry);
    current = new StatsdExport(registry, udp, settings);
    log.info(
        "metrics: pushing to StatsD at {}:{} under '{}'",
        settings.host(),
        settings.port(),
        settings.prefix());
    return current;
  }

  public Settings settings() {
    return settings;
  }

  /** Sends what is buffered and stops. */
  @Override
  public void close() {
    synchronized (StatsdExport.class) {
      Metrics.remove(registry);
      if (current == this) {
        current = null;
      }
    }
    registry.close();
    udp.close();
  }
}
