package io.updraft.timetable;

import java.time.Instant;
import java.util.Objects;

/** The half-open span of data [start, end) a DagRun processes. start == end for trigger runs. */
public record DataInterval(Instant start, Instant end) {
  public DataInterval {
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (end.isBefore(start)) {
      throw new IllegalArgumentException(
          "data interval ends before it starts: " + start + " > " + end);
    }
  }

  /** The zero-length interval [at, at]. */
  public static DataInterval exact(Instant at) {
    return new DataInterval(at, at);
  }
}
