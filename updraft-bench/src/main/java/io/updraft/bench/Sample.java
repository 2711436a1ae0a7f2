package io.updraft.bench;

import java.util.Map;

/**
 * What one measured run of a workload gave.
 *
 * @param seconds the workload's main figure (what median_s, min_s and max_s summarise)
 * @param extras further figures by their JSON name, e.g. {@code lag_p50_ms}, {@code peak_rss_mb}
 */
public record Sample(double seconds, Map<String, Double> extras) {
  public Sample {
    if (!(seconds >= 0) || Double.isInfinite(seconds)) {
      throw new IllegalArgumentException("a sample's seconds must be finite and >= 0: " + seconds);
    }
    extras = Map.copyOf(extras);
  }

  public static Sample of(double seconds) {
    return new Sample(seconds, Map.of());
  }
}
