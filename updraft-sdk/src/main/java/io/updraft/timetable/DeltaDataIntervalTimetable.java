package io.updraft.timetable;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * {@code schedule: <duration>}: data intervals of a fixed length counted from the start date, each
 * run created at its interval's end (Airflow's {@code DeltaDataIntervalTimetable} with a {@code
 * timedelta}). The length is absolute time, so DST does not affect it.
 */
public final class DeltaDataIntervalTimetable extends DataIntervalTimetable {
  private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000L);

  private final Duration interval;

  public DeltaDataIntervalTimetable(Duration interval) {
    Objects.requireNonNull(interval, "interval");
    if (interval.isZero() || interval.isNegative()) {
      throw new IllegalArgumentException(
          "schedule interval must be positive, not " + interval + " — use e.g. PT1H or P1D");
    }
    this.interval = interval;
  }

  public Duration interval() {
    return interval;
  }

  /**
   * Catchup off: the interval that ends at {@code now} rounded down to a multiple of the interval
   * since the Unix epoch (not since the start date, as Airflow), but not before {@code earliest}.
   */
  @Override
  Instant skipToLatest(Instant earliest, Instant now) {
    Instant latestStart = roundDown(now).minus(interval);
    return earliest != null && earliest.isAfter(latestStart) ? earliest : latestStart;
  }

  private Instant roundDown(Instant instant) {
    BigInteger nanos =
        BigInteger.valueOf(instant.getEpochSecond())
            .multiply(NANOS_PER_SECOND)
            .add(BigInteger.valueOf(instant.getNano()));
    BigInteger step =
        BigInteger.valueOf(interval.getSeconds())
            .multiply(NANOS_PER_SECOND)
            .add(BigInteger.valueOf(interval.getNano()));
    BigInteger rounded = nanos.subtract(nanos.mod(step));
    BigInteger[] secondsAndNanos = rounded.divideAndRemainder(NANOS_PER_SECOND);
    return Instant.ofEpochSecond(
        secondsAndNanos[0].longValueExact(), secondsAndNanos[1].longValue());
  }

  /** Every instant is a boundary: intervals are counted from wherever they start. */
  @Override
  Instant alignToNext(Instant current) {
    return current;
  }

  @Override
  Instant alignToPrevious(Instant current) {
    return current;
  }

  @Override
  Instant next(Instant current) {
    return current.plus(interval);
  }

  @Override
  Instant previous(Instant current) {
    return current.minus(interval);
  }

  /** The interval that ends at {@code runAfter}. */
  @Override
  public DataInterval inferManualDataInterval(Instant runAfter) {
    return new DataInterval(runAfter.minus(interval), runAfter);
  }

  @Override
  public String summary() {
    return interval.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeltaDataIntervalTimetable other && interval.equals(other.interval);
  }

  @Override
  public int hashCode() {
    return Objects.hash(getClass(), interval);
  }

  @Override
  public String toString() {
    return "DeltaDataIntervalTimetable[" + interval + "]";
  }
}
