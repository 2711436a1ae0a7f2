package io.updraft.timetable;

import io.updraft.dag.Schedule;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;

/**
 * A 5-field cron expression (minute hour day-of-month month day-of-week), evaluated on local
 * wall-clock time. Time zones are not its business: {@link ZonedCron} maps its local times to
 * instants.
 *
 * <p>Syntax: {@code *}, numbers, ranges {@code a-b}, steps {@code * /n}, {@code a-b/n} and {@code
 * a/n} (from a to the field's maximum), comma lists, month names JAN-DEC and day names SUN-SAT (any
 * case); day-of-week 0 and 7 are Sunday. The presets of {@link Schedule#CRON_PRESETS} are accepted
 * too. Quartz/croniter extensions ({@code L}, {@code W}, {@code #}, {@code ?}, a sixth seconds
 * field) are rejected.
 *
 * <p>Day matching follows croniter (which Airflow uses): when both day-of-month and day-of-week are
 * restricted, a day matches if either matches. A day field counts as unrestricted when it is {@code
 * *}, or when it covers every value and the other day field contains a {@code *} (croniter 2.0.4+);
 * so {@code 0 0 1-31 * MON} runs daily while {@code 0 0 * * MON} runs on Mondays.
 *
 * <p>Evaluation skips field by field (month, day, hour, minute), never minute by minute, and gives
 * up after {@value #SEARCH_YEARS} years. Since {@link #parse} rejects expressions that can never
 * match (such as {@code 0 0 30 2 *}), every parsed expression matches at least once every 8 years
 * (the worst case is the 29th of February), so the search limit is never hit in practice.
 */
public final class CronExpression {

  /** How far {@link #next} and {@link #previous} look before they answer empty. */
  static final int SEARCH_YEARS = 10;

  private static final String[] FIELD_NAMES = {
    "minute", "hour", "day-of-month", "month", "day-of-week"
  };
  private static final int[] MIN = {0, 0, 1, 1, 0};
  private static final int[] MAX = {59, 23, 31, 12, 7};
  private static final String[] MONTH_NAMES = {
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"
  };
  private static final String[] DAY_NAMES = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};
  private static final int[] MAX_DAYS_IN_MONTH = {
    0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
  };

  private final String text;
  private final String expression;
  private final long minutes;
  private final long hours;
  private final long daysOfMonth;
  private final long months;
  private final long daysOfWeek;
  private final boolean dayOfMonthStar;
  private final boolean dayOfWeekStar;

  private CronExpression(
      String text, String expression, long[] sets, boolean domStar, boolean dowStar) {
    this.text = text;
    this.expression = expression;
    this.minutes = sets[0];
    this.hours = sets[1];
    this.daysOfMonth = sets[2];
    this.months = sets[3];
    this.daysOfWeek = sets[4];
    this.dayOfMonthStar = domStar;
    this.dayOfWeekStar = dowStar;
  }

  /**
   * Parses a 5-field cron expression or a cron preset such as {@code @daily}.
   *
   * @throws IllegalArgumentException with a one-line message that names the field and the bad value
   *     and says how to fix it
   */
  public static CronExpression parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException(
          "cron expression is empty — write 5 fields: minute hour day-of-month month day-of-week,"
              + " e.g. '0 2 * * *'");
    }
    String trimmed = text.trim();
    String expression = trimmed;
    if (trimmed.startsWith("@")) {
      expression = Schedule.CRON_PRESETS.get(trimmed.toLowerCase(Locale.ROOT));
      if (expression == null) {
        throw new IllegalArgumentException(
            "cron expression '"
                + trimmed
                + "' is not a known cron preset — use one of @hourly, @daily, @weekly, @monthly,"
                + " @quarterly, @yearly or 5 cron fields");
      }
    }
    String[] fields = expression.split("\\s+");
    if (fields.length != 5) {
      String hint =
          fields.length == 6
              ? " (a seconds field is not supported)"
              : fields.length > 6 ? " (a year or seconds field is not supported)" : "";
      throw new IllegalArgumentException(
          "cron expression '"
              + trimmed
              + "' has "
              + fields.length
              + " fields"
              + hint
              + " — write exactly 5: minute hour day-of-month month day-of-week, e.g. '0 2 * * *'");
    }
    long[] sets = new long[5];
    for (int i = 0; i < 5; i++) {
      sets[i] = new FieldParser(trimmed, i, fields[i]).parse();
    }
    // Day-of-week 7 is Sunday, as 0.
    if ((sets[4] & (1L << 7)) != 0) {
      sets[4] = (sets[4] & ~(1L << 7)) | 1L;
    }
    boolean domFull = sets[2] == rangeBits(1, 31);
    boolean dowFull = sets[4] == rangeBits(0, 6);
    boolean domStar = fields[2].equals("*") || (domFull && fields[4].contains("*"));
    boolean dowStar = fields[4].equals("*") || (dowFull && fields[2].contains("*"));
    CronExpression cron = new CronExpression(trimmed, expression, sets, domStar, dowStar);
    cron.rejectIfNeverMatches();
    return cron;
  }

  /** The expression as given (trimmed), e.g. {@code @daily}. */
  @Override
  public String toString() {
    return text;
  }

  /** The 5-field form, e.g. {@code 0 0 * * *} for {@code @daily}. */
  public String expression() {
    return expression;
  }

  /**
   * Whether the expression fires in every hour of the day (its hour field covers 0-23). Such
   * schedules get Airflow's DST fix: they neither skip nor merge the hours around a DST change.
   */
  public boolean coversEveryHour() {
    return hours == rangeBits(0, 23);
  }

  /** Whether the given local time is one this expression fires at (seconds must be zero). */
  public boolean matches(LocalDateTime time) {
    return time.getSecond() == 0
        && time.getNano() == 0
        && has(minutes, time.getMinute())
        && has(hours, time.getHour())
        && has(months, time.getMonthValue())
        && dayMatches(time.toLocalDate());
  }

  /** The first matching local time strictly after {@code after}; empty if none within 10 years. */
  public Optional<LocalDateTime> next(LocalDateTime after) {
    return nextOrSame(after.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1));
  }

  /** The first matching local time at or after {@code from}; empty if none within 10 years. */
  public Optional<LocalDateTime> nextOrSame(LocalDateTime from) {
    LocalDateTime t = from.truncatedTo(ChronoUnit.MINUTES);
    if (t.isBefore(from)) {
      t = t.plusMinutes(1);
    }
    int lastYear = t.getYear() + SEARCH_YEARS;
    while (t.getYear() <= lastYear) {
      if (!has(months, t.getMonthValue())) {
        int m = nextBit(months, t.getMonthValue() + 1, 12);
        t =
            m < 0
                ? LocalDateTime.of(t.getYear() + 1, nextBit(months, 1, 12), 1, 0, 0)
                : LocalDateTime.of(t.getYear(), m, 1, 0, 0);
      } else if (!dayMatches(t.toLocalDate())) {
        t = t.toLocalDate().plusDays(1).atStartOfDay();
      } else if (!has(hours, t.getHour())) {
        int h = nextBit(hours, t.getHour() + 1, 23);
        t = h < 0 ? t.toLocalDate().plusDays(1).atStartOfDay() : t.withHour(h).withMinute(0);
      } else if (!has(minutes, t.getMinute())) {
        int mi = nextBit(minutes, t.getMinute() + 1, 59);
        t = mi < 0 ? t.truncatedTo(ChronoUnit.HOURS).plusHours(1) : t.withMinute(mi);
      } else {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /** The last matching local time strictly before {@code before}; empty if none within 10 years. */
  public Optional<LocalDateTime> previous(LocalDateTime before) {
    LocalDateTime t = before.truncatedTo(ChronoUnit.MINUTES);
    return previousOrSame(t.equals(before) ? t.minusMinutes(1) : t);
  }

  /** The last matching local time at or before {@code at}; empty if none within 10 years. */
  public Optional<LocalDateTime> previousOrSame(LocalDateTime at) {
    LocalDateTime t = at.truncatedTo(ChronoUnit.MINUTES);
    int firstYear = t.getYear() - SEARCH_YEARS;
    while (t.getYear() >= firstYear) {
      if (!has(months, t.getMonthValue())) {
        int m = previousBit(months, t.getMonthValue() - 1, 1);
        LocalDate day =
            m < 0
                ? LocalDate.of(t.getYear() - 1, previousBit(months, 12, 1), 1)
                : LocalDate.of(t.getYear(), m, 1);
        t = day.withDayOfMonth(day.lengthOfMonth()).atTime(23, 59);
      } else if (!dayMatches(t.toLocalDate())) {
        t = t.toLocalDate().minusDays(1).atTime(23, 59);
      } else if (!has(hours, t.getHour())) {
        int h = previousBit(hours, t.getHour() - 1, 0);
        t = h < 0 ? t.toLocalDate().minusDays(1).atTime(23, 59) : t.withHour(h).withMinute(59);
      } else if (!has(minutes, t.getMinute())) {
        int mi = previousBit(minutes, t.getMinute() - 1, 0);
        t = mi < 0 ? t.withMinute(0).minusMinutes(1) : t.withMinute(mi);
      } else {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CronExpression other
        && minutes == other.minutes
        && hours == other.hours
        && daysOfMonth == other.daysOfMonth
        && months == other.months
        && daysOfWeek == other.daysOfWeek
        && dayOfMonthStar == other.dayOfMonthStar
        && dayOfWeekStar == other.dayOfWeekStar;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(minutes * 31 + hours) * 31
        + Long.hashCode(daysOfMonth * 31 + months * 7 + daysOfWeek);
  }

  private boolean dayMatches(LocalDate day) {
    boolean dom = has(daysOfMonth, day.getDayOfMonth());
    boolean dow = has(daysOfWeek, day.getDayOfWeek().getValue() % 7);
    if (dayOfMonthStar) {
      return dayOfWeekStar || dow;
    }
    if (dayOfWeekStar) {
      return dom;
    }
    return dom || dow;
  }

  /**
   * Rejects a day-of-month restriction no selected month can hold (e.g. the 30th of February): such
   * an expression would never fire, which is always a mistake.
   */
  private void rejectIfNeverMatches() {
    if (dayOfMonthStar || !dayOfWeekStar) {
      return; // with a day-of-week alternative some day always matches
    }
    for (int m = 1; m <= 12; m++) {
      if (has(months, m) && nextBit(daysOfMonth, 1, MAX_DAYS_IN_MONTH[m]) >= 0) {
        return;
      }
    }
    throw new IllegalArgumentException(
        "cron expression '"
            + text
            + "' never matches: day-of-month '"
            + expression.split("\\s+")[2]
            + "' does not occur in month '"
            + expression.split("\\s+")[3]
            + "' — pick days that exist in those months (February has at most 29)");
  }

  private static boolean has(long set, int value) {
    return (set & (1L << value)) != 0;
  }

  private static long rangeBits(int from, int to) {
    return ((1L << (to + 1)) - 1) & ~((1L << from) - 1);
  }

  /** The smallest value in [from, to] that is in the set, or -1. */
  private static int nextBit(long set, int from, int to) {
    if (from > to) {
      return -1;
    }
    long masked = set & rangeBits(from, to);
    return masked == 0 ? -1 : Long.numberOfTrailingZeros(masked);
  }

  /** The largest value in [to, from] that is in the set, or -1. */
  private static int previousBit(long set, int from, int to) {
    if (from < to) {
      return -1;
    }
    long masked = set & rangeBits(to, from);
    return masked == 0 ? -1 : 63 - Long.numberOfLeadingZeros(masked);
  }

  /** Parses one field into a bit set of its values. */
  private record FieldParser(String cron, int field, String text) {

    long parse() {
      long set = 0;
      for (String item : text.split(",", -1)) {
        set |= parseItem(item);
      }
      return set;
    }

    private long parseItem(String item) {
      if (item.isEmpty()) {
        throw error("has an empty list item in '" + text + "'", "remove the extra comma");
      }
      int slash = item.indexOf('/');
      String base = slash < 0 ? item : item.substring(0, slash);
      int step = 1;
      if (slash >= 0) {
        String stepText = item.substring(slash + 1);
        if (!stepText.matches("[0-9]{1,4}") || Integer.parseInt(stepText) == 0) {
          throw error(
              "step '" + stepText + "' in '" + item + "' is not a positive number",
              "write e.g. '*/5'");
        }
        step = Integer.parseInt(stepText);
      }
      int from;
      int to;
      if (base.equals("*")) {
        from = MIN[field];
        to = field == 4 ? 6 : MAX[field];
      } else {
        int dash = base.indexOf('-', 1);
        if (dash < 0) {
          from = value(base);
          // 'a/n' runs from a to the end of the field, as in croniter.
          to = slash >= 0 ? (field == 4 ? 6 : MAX[field]) : from;
        } else {
          from = value(base.substring(0, dash));
          to = value(base.substring(dash + 1));
          if (from > to) {
            throw error(
                "range '" + base + "' runs backwards",
                "write the smaller value first, or list both ends, e.g. '22-23,0-2'");
          }
        }
      }
      long set = 0;
      for (int v = from; v <= to; v += step) {
        set |= 1L << v;
      }
      return set;
    }

    private int value(String token) {
      if (token.matches("[0-9]{1,4}")) {
        int v = Integer.parseInt(token);
        if (v < MIN[field] || v > MAX[field]) {
          throw error(
              "value " + v + " is out of range " + MIN[field] + "-" + MAX[field],
              field == 4
                  ? "use 0-7 (0 and 7 are Sunday) or SUN-SAT"
                  : "use a value between " + MIN[field] + " and " + MAX[field]);
        }
        return v;
      }
      String upper = token.toUpperCase(Locale.ROOT);
      if (field == 3) {
        for (int i = 0; i < MONTH_NAMES.length; i++) {
          if (MONTH_NAMES[i].equals(upper)) {
            return i + 1;
          }
        }
      }
      if (field == 4) {
        for (int i = 0; i < DAY_NAMES.length; i++) {
          if (DAY_NAMES[i].equals(upper)) {
            return i;
          }
        }
      }
      if (upper.matches("\\?|L|LW|[0-9]{1,2}[LW]|[0-9A-Z]{1,3}#[0-9]")) {
        throw error(
            "value '" + token + "' uses an unsupported extension (L, W, # and ? are not supported)",
            "list the values explicitly, e.g. '28-31' or 'MON-FRI'");
      }
      String expected =
          switch (field) {
            case 3 -> "a number 1-12 or a month name JAN-DEC";
            case 4 -> "a number 0-7 or a day name SUN-SAT";
            default -> "a number " + MIN[field] + "-" + MAX[field];
          };
      throw error("value '" + token + "' is not " + expected, "write e.g. '" + example() + "'");
    }

    private String example() {
      return switch (field) {
        case 0 -> "0,30";
        case 1 -> "9-17";
        case 2 -> "1,15";
        case 3 -> "JAN-MAR";
        default -> "MON-FRI";
      };
    }

    private IllegalArgumentException error(String what, String fix) {
      return new IllegalArgumentException(
          "cron expression '" + cron + "': " + FIELD_NAMES[field] + " " + what + " — " + fix);
    }
  }
}
