package io.updraft.metrics;

import io.micrometer.core.instrument.Gauge;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The DAG processor's meters: how long each file's last parse took (Airflow's {@code
 * dag_processing.last_duration.<file>}) and the last scan's parse time in all ({@code
 * dag_processing.total_parse_time}). One gauge per DAG file, as in Airflow.
 */
public final class DagProcessingMetrics {
  /** Nanoseconds of the last parse, by file (relative to the dags folder). */
  private static final ConcurrentMap<String, AtomicLong> LAST = new ConcurrentHashMap<>();

  private static final AtomicLong TOTAL = new AtomicLong();

  static {
    Gauge.builder("updraft.dag.processing.total.parse.time", TOTAL, DagProcessingMetrics::seconds)
        .description("Time the last scan of the dags folder took, the files that changed parsed")
        .baseUnit("seconds")
        .strongReference(true)
        .register(Metrics.registry());
  }

  private DagProcessingMetrics() {}

  /** {@code file} (its path in the dags folder) was parsed in {@code nanos}. */
  public static void fileParsed(String file, long nanos) {
    LAST.computeIfAbsent(
            file,
            f -> {
              AtomicLong last = new AtomicLong();
              Gauge.builder(
                      "updraft.dag.processing.last.duration", last, DagProcessingMetrics::seconds)
                  .description("Time the last parse of a DAG file took")
                  .baseUnit("seconds")
                  .tag("file", f)
                  .strongReference(true)
                  .register(Metrics.registry());
              return last;
            })
        .set(nanos);
  }

  /** A scan of the dags folder (finding, parsing and writing what changed) took {@code nanos}. */
  public static void scanned(long nanos) {
    TOTAL.set(nanos);
  }

  private static double seconds(AtomicLong nanos) {
    return nanos.get() / 1e9;
  }
}
