package io.updraft.dag;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;

/**
 * A start or end date as a DAG file or the Java builder gives it: an exact instant, or wall-clock
 * time that means an instant only once the DAG's time zone is known. Keeping the two apart lets the
 * builder accept {@code timezone(...)} before or after the dates, and lets the YAML loader and the
 * builder place local times by the same rule ({@link #in}).
 */
public sealed interface DateValue {

  /** The instant this date means in a DAG whose time zone is {@code zone}. */
  Instant in(ZoneId zone);

  /** A date written with an offset or zone ({@code 2024-01-01T06:00:00Z}): the zone is ignored. */
  record Exact(Instant instant) implements DateValue {
    @Override
    public Instant in(ZoneId zone) {
      return instant;
    }
  }

  /**
   * Wall-clock time in the DAG's zone ({@code 2024-01-01} is its midnight). In a DST gap it moves
   * forward by the length of the gap, in an overlap it takes the earlier offset ({@link
   * LocalDateTime#atZone}), as pendulum does for Airflow.
   */
  record Local(LocalDateTime dateTime) implements DateValue {
    @Override
    public Instant in(ZoneId zone) {
      return dateTime.atZone(zone).toInstant();
    }
  }
}
