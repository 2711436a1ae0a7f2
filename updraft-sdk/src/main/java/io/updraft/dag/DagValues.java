package io.updraft.dag;

import io.updraft.timetable.CronExpression;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.time.zone.ZoneRules;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text forms of DAG values (SPEC §1): schedule, time zone, dates and durations. This is the one
 * place that reads them, used by the YAML loader and by the Java builder alike, so a DAG written
 * either way is the same {@link Dag}. Bad text throws {@link IllegalArgumentException} with a
 * one-line message saying what to write instead; callers add where the value was (a file position,
 * a task).
 */
public final class DagValues {
  /** Every schedule preset, in the order messages list them. */
  public static final List<String> PRESETS =
      List.of(
          "@once",
          "@continuous",
          "@hourly",
          "@daily",
          "@weekly",
          "@monthly",
          "@quarterly",
          "@yearly");

  /**
   * The keys of a task in a DAG file (SPEC §1.2), in the spec's order; every other key of a task is
   * one of its operator's own keys.
   */
  public static final List<String> TASK_KEYS =
      List.of(
          "task_id",
          "operator",
          "upstream",
          "trigger_rule",
          "retries",
          "retry_delay",
          "retry_exponential_backoff",
          "max_retry_delay",
          "execution_timeout",
          "pool",
          "pool_slots",
          "priority_weight",
          "weight_rule",
          "queue",
          "max_active_tis_per_dag",
          "depends_on_past",
          "wait_for_downstream",
          "start_date",
          "end_date",
          "env",
          "owner",
          "doc",
          "outlets",
          "executor_config",
          "on_failure",
          "on_success",
          "on_retry",
          "on_execute",
          "on_skipped",
          "email",
          "email_on_failure",
          "email_on_retry");

  /** What a {@code schedule} may be, for messages: starts with " — ". */
  public static final String SCHEDULE_FORMS =
      " — use a cron expression (\"0 2 * * *\"), a preset ("
          + String.join(", ", PRESETS)
          + "), a duration (1h, P1D) or null";

  /** What a date may be, for messages. */
  public static final String DATE_FORMS =
      "write 2024-01-01 or 2024-01-01T06:00 (local time in the DAG's timezone), or add an offset:"
          + " 2024-01-01T06:00:00Z";

  /** The time zone of a DAG that names none, and of every zone fixed at offset zero. */
  public static final ZoneId UTC = ZoneId.of("UTC");

  private static final Pattern SPACED = Pattern.compile("(\\d{4}-\\d{2}-\\d{2}) +(\\d.*)");

  private DagValues() {}

  /**
   * A schedule as the {@code schedule} key reads it: null (manual runs only), a preset such as
   * {@code @once}, {@code @continuous} or {@code @daily}, a 5-field cron expression (any text with
   * whitespace) or a positive duration. Surrounding whitespace is ignored. Cron comes back as a
   * data-interval schedule; the caller applies {@code timetable: trigger}.
   */
  public static Schedule schedule(String text) {
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
            "unknown schedule preset '"
                + t
                + "' — use one of "
                + String.join(", ", PRESETS)
                + Suggestions.didYouMean(t, PRESETS, "; "));
      }
      return Schedule.Cron.of(t, false);
    }
    if (t.chars().anyMatch(Character::isWhitespace)) {
      checkCron(t, t);
      return Schedule.Cron.of(t, false);
    }
    Optional<Duration> d = Durations.parse(t);
    if (d.isPresent() && !d.get().isZero()) {
      return new Schedule.Delta(t, d.get());
    }
    throw new IllegalArgumentException("schedule '" + t + "' is not valid" + SCHEDULE_FORMS);
  }

  /**
   * Checks a cron schedule's 5-field {@code expression}; the message names it by {@code text}, as
   * written (a preset or the expression).
   */
  public static void checkCron(String text, String expression) {
    try {
      CronExpression.parse(expression);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "schedule '" + text + "' is not a valid cron expression: " + e.getMessage(), e);
    }
  }

  /** An IANA zone name such as {@code Europe/Amsterdam} or {@code UTC}; null means UTC. */
  public static ZoneId zone(String text) {
    if (text == null) {
      return UTC;
    }
    try {
      return canonical(ZoneId.of(text));
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          "unknown time zone '"
              + text
              + "' — use an IANA zone name such as Europe/Amsterdam or UTC"
              + Suggestions.didYouMean(text, ZoneId.getAvailableZoneIds(), "; "),
          e);
    }
  }

  /**
   * One name for UTC: {@code UTC}, {@code Etc/UTC}, {@code Z}, {@code GMT}, {@code +00:00} (any
   * zone whose rules are fixed at offset zero) become {@link #UTC}, so DAGs that mean the same zone
   * are equal and serialize alike (Airflow, through pendulum, also shows such a zone as UTC); null
   * also means UTC. Other zones are returned as they are: a zone with rules of its own, such as
   * {@code Europe/London}, is not UTC even in winter.
   */
  public static ZoneId canonical(ZoneId zone) {
    if (zone == null) {
      return UTC;
    }
    ZoneRules rules = zone.getRules();
    boolean utc = rules.isFixedOffset() && rules.getOffset(Instant.EPOCH).getTotalSeconds() == 0;
    return utc ? UTC : zone;
  }

  /**
   * A date or date-time: {@code 2024-01-01} (midnight), {@code 2024-01-01T06:00} or {@code
   * 2024-01-01 06:00:00} (local time in the DAG's time zone), or with an offset or zone ({@code
   * 2024-01-01T06:00:00Z}, {@code +01:00}) for an exact instant. Null stays null.
   *
   * @param key the key being read, for the message ({@code start_date})
   */
  public static DateValue date(String key, String text) {
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
      throw new IllegalArgumentException(key + " '" + text + "' is not a date — " + DATE_FORMS, e);
    }
  }

  /**
   * A duration in ISO-8601 or the short form of {@link Durations}; zero is allowed, negative is
   * not. Null stays null.
   *
   * @param key the key being read, for the message ({@code retry_delay})
   */
  public static Duration duration(String key, String text) {
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
  public static Duration duration(String key, Duration d) {
    if (d != null && d.isNegative()) {
      throw new IllegalArgumentException(
          key + " " + d + " is negative — use a duration of zero or more");
    }
    return d;
  }
}
