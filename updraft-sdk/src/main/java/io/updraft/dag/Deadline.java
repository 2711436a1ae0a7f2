package io.updraft.dag;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A DAG's deadline alert (Airflow 3.1): when a run has not ended by its reference time plus {@code
 * interval}, {@code callback} runs once for that run.
 */
public record Deadline(Reference reference, Duration interval, List<Notifier> callback) {
  /** The run time a deadline counts from. */
  public enum Reference {
    LOGICAL_DATE("logical_date"),
    QUEUED_AT("queued_at"),
    DATA_INTERVAL_END("data_interval_end");

    private final String id;

    Reference(String id) {
      this.id = id;
    }

    public String id() {
      return id;
    }

    public static Reference fromId(String id) {
      for (Reference r : values()) {
        if (r.id.equals(id)) {
          return r;
        }
      }
      throw new IllegalArgumentException(
          "deadline reference '"
              + id
              + "' — use logical_date, queued_at or data_interval_end"
              + Suggestions.didYouMean(
                  id, List.of("logical_date", "queued_at", "data_interval_end"), "; "));
    }
  }

  public Deadline {
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(interval, "interval");
    callback = List.copyOf(callback);
  }

  /**
   * When a run is late, or null when its reference time is unknown (a run without data interval).
   */
  public Instant at(Instant logicalDate, Instant queuedAt, Instant dataIntervalEnd) {
    Instant ref =
        switch (reference) {
          case LOGICAL_DATE -> logicalDate;
          case QUEUED_AT -> queuedAt;
          case DATA_INTERVAL_END -> dataIntervalEnd;
        };
    return ref == null ? null : ref.plus(interval);
  }
}
