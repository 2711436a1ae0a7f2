package io.updraft.sensors;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A sensor's arguments, rendered (SPEC §1.9): how it waits and what for.
 *
 * @param pokeInterval between checks (default 60 s)
 * @param exponentialBackoff the interval grows per check, with jitter, capped ({@link
 *     PokeSchedule})
 * @param timeout counted from the first check of the try (across reschedules and triggerer
 *     restarts); Airflow's default is 7 days
 * @param softFail on timeout the task is skipped instead of failed
 * @param conditions one or more; all must hold at one check
 */
public record SensorSpec(
    SensorMode mode,
    Duration pokeInterval,
    boolean exponentialBackoff,
    Duration timeout,
    boolean softFail,
    List<Condition> conditions) {

  public static final Duration DEFAULT_POKE_INTERVAL = Duration.ofSeconds(60);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofDays(7);

  public SensorSpec {
    Objects.requireNonNull(mode, "mode");
    pokeInterval = pokeInterval == null ? DEFAULT_POKE_INTERVAL : pokeInterval;
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    conditions = List.copyOf(conditions);
    if (conditions.isEmpty()) {
      throw new IllegalArgumentException("a sensor waits for at least one condition");
    }
  }

  /**
   * What the time conditions are relative to: {@code time} is a wall-clock time in the DAG's zone
   * on the day of {@code dataIntervalEnd}; {@code time_delta} is {@code dataIntervalEnd} + delta;
   * an {@code external_task} without {@code logical_date} waits on the same logical date.
   *
   * @param dataIntervalEnd null for a run without a data interval: the logical date stands in
   */
  public record RunDates(ZoneId zone, Instant logicalDate, Instant dataIntervalEnd) {
    public RunDates {
      zone = zone == null ? ZoneId.of("UTC") : zone;
      Objects.requireNonNull(logicalDate, "logicalDate");
      dataIntervalEnd = dataIntervalEnd == null ? logicalDate : dataIntervalEnd;
    }
  }

  /**
   * Reads a sensor's rendered operator arguments ({@code wait}, {@code mode}, {@code
   * poke_interval}, {@code exponential_backoff}, {@code timeout}, {@code soft_fail}).
   *
   * @throws SensorArgumentException one line naming the key and what to fix
   */
  public static SensorSpec fromArgs(Map<String, Object> args, RunDates dates) {
    return SensorArgs.read(args, dates);
  }

  /** This spec as JSON, for a trigger row's kwargs; {@link #fromJson} reads it back. */
  public String toJson() {
    return SensorJson.write(this);
  }

  /** The spec {@link #toJson} wrote. */
  public static SensorSpec fromJson(String json) {
    return SensorJson.read(json);
  }
}
