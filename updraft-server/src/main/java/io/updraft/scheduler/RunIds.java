package io.updraft.scheduler;

import io.updraft.store.RunType;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Run ids as Airflow 2 writes them: {@code <type>__<logical date>}, the date in Python's {@code
 * isoformat()} of a UTC datetime — {@code 2024-01-01T00:00:00+00:00}, with microseconds only when
 * they are not zero ({@code 2024-01-01T00:00:00.250000+00:00}).
 */
public final class RunIds {
  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

  private RunIds() {}

  public static String of(RunType type, Instant logicalDate) {
    return type.id() + "__" + isoformat(logicalDate);
  }

  /** Python's {@code datetime.isoformat()} of a UTC instant (microsecond precision). */
  public static String isoformat(Instant t) {
    int micros = t.getNano() / 1_000;
    String fraction = micros == 0 ? "" : String.format(java.util.Locale.ROOT, ".%06d", micros);
    return SECONDS.format(t) + fraction + "+00:00";
  }
}
