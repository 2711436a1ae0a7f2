package io.updraft.sdk;

import io.updraft.dag.Durations;
import io.updraft.dag.Schedule;
import io.updraft.timetable.CronExpression;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text forms of DAG-file values, read exactly as the YAML loader reads them (SPEC §1), so a DAG
 * written in Java and the same DAG written in YAML are equal. Bad text throws {@link
 * IllegalArgumentException} with a one-line message saying what to write instead.
 */
final class Texts {
  static final String SCHEDULE_FORMS =
      " — use a cron expression (\"0 2 * * *\"), a preset (@once, @continuous, @hourly, @daily,"
          + " @weekly, @monthly, @quarterly, @yearly), a duration (1h, P1D) or null";

  private static final Pattern SPACED = Pattern.compile("(\\d{4}-\\d{2}-\\d{2}) +(\\d.*)");

  private Texts() {}

  /**
   * A schedule as the {@code schedule} key reads it: null (manual runs only), a preset such as
   * {@code @once}, {@code @continuous} or {@code @daily}, a 5-field cron expression (any text with
   * whitespace) or a positive duration. Cron comes back as a data-interval schedule; the caller
   * applies {@code timetable: trigger}.
   */
  static Schedule schedule(String text) {
    if (text == null) {
      return new Schedule.Manual();
    }
    String t = text.trim();
    if (t.equals("@once")) {
      return new Schedule.Once();
    }
    if (t.equals("@continuous")) {
      return new Schedule.Continuous();
    }
    if (t.startsWith("@")) {
      if (!Schedule.CRON_PRESETS.containsKey(t)) {
        throw new IllegalArgumentException(
            "unknown schedule preset '" + text + "'" + SCHEDULE_FORMS);
      }
      return Schedule.Cron.of(t, false);
    }
    if (t.chars().anyMatch(Character::isWhitespace)) {
      try {
        CronExpression.parse(t);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("schedule '" + text + "': " + e.getMessage(), e);
      }
      return Schedule.Cron.of(t, false);
    }
    Optional<Duration> d = Durations.parse(t);
    if (d.isPresent() && !d.get().isZero()) {
      return new Schedule.Delta(t, d.get());
    }
    throw new IllegalArgumentException("schedule '" + text + "' is not valid" + SCHEDULE_FORMS);
  }

  /** A duration in ISO-8601 or the short form; null stays null. */
  static Duration duration(String key, String text) {
    if (text == null) {
      return null;
    }
    return Durations.parse(text)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    key + " '" + text + "' is not a duration — " + Durations.FORMS));
  }

  /** A duration given as an object: it must not be negative, as the text forms cannot be. */
  static Duration duration(String key, Duration d) {
    if (d != null && d.isNegative()) {
      throw new IllegalArgumentException(
          key + " " + d + " is negative — use a duration of zero or more");
    }
    return d;
  }

  /** An IANA zone name such as {@code Europe/Amsterdam} or {@code UTC}; null means UTC. */
  static ZoneId zone(String text) {
    if (text == null) {
      return ZoneOffset.UTC;
    }
    try {
      return ZoneId.of(text);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          "unknown time zone '"
              + text
              + "' — use an IANA zone name such as Europe/Amsterdam or UTC",
          e);
    }
  }

  /**
   * A date or date-time: {@code 2024-01-01} (midnight), {@code 2024-01-01T06:00} or {@code
   * 2024-01-01 06:00:00} (local time in the DAG's time zone), or with an offset or zone ({@code
   * 2024-01-01T06:00:00Z}, {@code +01:00}) for an exact instant.
   */
  static DateValue date(String key, String text) {
    if (text == null) {
      return null;
    }
    String t = text.trim();
    Matcher m = SPACED.matcher(t);
    if (m.matches()) {
      t = m.group(1) + "T" + m.group(2).replace(" ", "");
    }
    try {
      if (t.length() == 10) {
        return new DateValue.Local(LocalDate.parse(t).atStartOfDay());
      }
      TemporalAccessor parsed =
          DateTimeFormatter.ISO_DATE_TIME.parseBest(t, ZonedDateTime::from, LocalDateTime::from);
      return parsed instanceof ZonedDateTime z
          ? new DateValue.Exact(z.toInstant())
          : new DateValue.Local((LocalDateTime) parsed);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          key
              + " '"
              + text
              + "' is not a date — write 2024-01-01 or 2024-01-01T06:00 (local time in the DAG's"
              + " timezone), or add an offset: 2024-01-01T06:00:00Z",
          e);
    }
  }

  /**
   * A start or end date as given: an exact instant, or a local date-time placed in the DAG's time
   * zone only when the DAG is built, so {@code timezone()} may be called before or after it.
   */
  sealed interface DateValue {
    Instant in(ZoneId zone);

    record Exact(Instant instant) implements DateValue {
      @Override
      public Instant in(ZoneId zone) {
        return instant;
      }
    }

    /**
     * Local wall-clock time; in a DST gap it moves forward by the gap, in an overlap it takes the
     * earlier offset ({@link LocalDateTime#atZone}), as pendulum does for Airflow.
     */
    record Local(LocalDateTime dateTime) implements DateValue {
      @Override
      public Instant in(ZoneId zone) {
        return dateTime.atZone(zone).toInstant();
      }
    }
  }
}
