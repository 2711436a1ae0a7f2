package io.updraft.metrics;

import io.micrometer.core.instrument.Clock;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.updraft.store.Database;
import java.util.Locale;

/**
 * What an API server answers on {@code GET /metrics}: the meters of this process ({@link Metrics})
 * and the cluster's gauges read from its database ({@link ClusterGauges}), in Prometheus' text
 * format, or OpenMetrics when the scraper asks for it ({@code Accept:
 * application/openmetrics-text}, as Prometheus does).
 */
public final class MetricsScrape {
  public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  public static final String OPENMETRICS_TEXT =
      "application/openmetrics-text; version=1.0.0; charset=utf-8";

  /** One scrape's answer. */
  public record Page(String contentType, String body) {}

  /** Writes both sources at once, so the page has one header per name and one OpenMetrics end. */
  private final PrometheusMeterRegistry writer;

  public MetricsScrape(Database db) {
    PrometheusRegistry both = new PrometheusRegistry();
    both.register(() -> Metrics.prometheus().getPrometheusRegistry().scrape());
    both.register(new ClusterGauges(db));
    this.writer = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, both, Clock.SYSTEM);
  }

  /** The page for a request with this {@code Accept} header (null: none). */
  public Page scrape(String accept) {
    String type =
        accept != null && accept.toLowerCase(Locale.ROOT).contains("application/openmetrics-text")
            ? OPENMETRICS_TEXT
            : PROMETHEUS_TEXT;
    return new Page(type, writer.scrape(type));
  }
}
