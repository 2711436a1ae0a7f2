package io.updraft.worker.template;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Date strings exactly as Airflow's templates print them (Python {@code datetime} / pendulum 3),
 * and the subset of Python's {@code strftime}/{@code strptime} directives that DAG authors use with
 * {@code macros.ds_format} and {@code logical_date.strftime}.
 *
 * <p>Supported directives: {@code %Y %y %m %d %H %I %M %S %f %p %j %a %A %b %B %z %Z %%}. Any other
 * directive is an error naming it, rather than a silent difference from Python.
 */
public final class PyDates {

  private PyDates() {}

  /** {@code ds}: the UTC date, {@code 2024-01-31}. */
  public static String ds(Instant at) {
    return LocalDate.ofInstant(at, ZoneOffset.UTC).toString();
  }

  /**
   * Python's {@code isoformat(sep)} of a UTC datetime: {@code 2024-01-31T02:00:00+00:00}, with
   * {@code .ffffff} only when the microseconds are not zero.
   */
  public static String isoformat(Instant at, char sep) {
    LocalDateTime t = LocalDateTime.ofInstant(at, ZoneOffset.UTC);
    StringBuilder b = new StringBuilder(32);
    b.append(t.toLocalDate()).append(sep);
    pad(b, t.getHour(), 2).append(':');
    pad(b, t.getMinute(), 2).append(':');
    pad(b, t.getSecond(), 2);
    int micros = t.getNano() / 1000;
    if (micros != 0) {
      pad(b.append('.'), micros, 6);
    }
    return b.append("+00:00").toString();
  }

  /** {@code ts}: {@code 2024-01-31T02:00:00+00:00}. */
  public static String ts(Instant at) {
    return isoformat(at, 'T');
  }

  /** {@code ts_nodash}: {@code 20240131T020000} (no fraction, no offset, as Airflow). */
  public static String tsNodash(Instant at) {
    return strftime(ZonedDateTime.ofInstant(at, ZoneOffset.UTC), "%Y%m%dT%H%M%S");
  }

  /** {@code ts_nodash_with_tz}: {@code ts} without dashes and colons. */
  public static String tsNodashWithTz(Instant at) {
    return ts(at).replace("-", "").replace(":", "");
  }

  /** Python's {@code strftime}. */
  public static String strftime(ZonedDateTime t, String format) {
    StringBuilder b = new StringBuilder(format.length() + 16);
    for (int i = 0; i < format.length(); i++) {
      char c = format.charAt(i);
      if (c != '%') {
        b.append(c);
        continue;
      }
      if (i + 1 >= format.length()) {
        throw new IllegalArgumentException("format '" + format + "' ends with a lone %");
      }
      char d = format.charAt(++i);
      switch (d) {
        case 'Y' -> pad(b, t.getYear(), 4);
        case 'y' -> pad(b, t.getYear() % 100, 2);
        case 'm' -> pad(b, t.getMonthValue(), 2);
        case 'd' -> pad(b, t.getDayOfMonth(), 2);
        case 'H' -> pad(b, t.getHour(), 2);
        case 'I' -> pad(b, t.getHour() % 12 == 0 ? 12 : t.getHour() % 12, 2);
        case 'M' -> pad(b, t.getMinute(), 2);
        case 'S' -> pad(b, t.getSecond(), 2);
        case 'f' -> pad(b, t.getNano() / 1000, 6);
        case 'p' -> b.append(t.getHour() < 12 ? "AM" : "PM");
        case 'j' -> pad(b, t.getDayOfYear(), 3);
        case 'a' -> b.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
        case 'A' -> b.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
        case 'b' -> b.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
        case 'B' -> b.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH));
        case 'z' -> b.append(offset(t.getOffset()));
        case 'Z' -> b.append(t.getOffset().equals(ZoneOffset.UTC) ? "UTC" : offset(t.getOffset()));
        case '%' -> b.append('%');
        default -> throw unsupported(d, format);
      }
    }
    return b.toString();
  }

  /**
   * Python's {@code datetime.strptime}: parses {@code text} with {@code format} into a naive
   * date-time (taken as UTC). Numeric fields accept one or two digits where Python does.
   */
  public static ZonedDateTime strptime(String text, String format) {
    StringBuilder regex = new StringBuilder();
    List<Character> fields = new ArrayList<>();
    for (int i = 0; i < format.length(); i++) {
      char c = format.charAt(i);
      if (c != '%') {
        regex.append(Pattern.quote(String.valueOf(c)));
        continue;
      }
      if (i + 1 >= format.length()) {
        throw new IllegalArgumentException("format '" + format + "' ends with a lone %");
      }
      char d = format.charAt(++i);
      String group =
          switch (d) {
            case 'Y' -> "(\\d{4})";
            case 'y' -> "(\\d{2})";
            case 'm', 'd', 'H', 'I', 'M', 'S' -> "(\\d{1,2})";
            case 'f' -> "(\\d{1,6})";
            case 'j' -> "(\\d{1,3})";
            case 'p' -> "(AM|PM|am|pm)";
            case 'a', 'A', 'b', 'B' -> "([A-Za-z]+)";
            case '%' -> null;
            default -> throw unsupported(d, format);
          };
      if (group == null) {
        regex.append('%');
      } else {
        regex.append(group);
        fields.add(d);
      }
    }
    Matcher m = Pattern.compile(regex.toString()).matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "time data '" + text + "' does not match format '" + format + "'");
    }
    int year = 1900;
    int month = 1;
    int day = 1;
    int hour = 0;
    int minute = 0;
    int second = 0;
    int micros = 0;
    int dayOfYear = -1;
    boolean pm = false;
    boolean twelveHour = false;
    for (int g = 0; g < fields.size(); g++) {
      String v = m.group(g + 1);
      switch (fields.get(g)) {
        case 'Y' -> year = Integer.parseInt(v);
        // Python maps 69-99 to 19xx and 00-68 to 20xx.
        case 'y' -> year = Integer.parseInt(v) + (Integer.parseInt(v) < 69 ? 2000 : 1900);
        case 'm' -> month = Integer.parseInt(v);
        case 'd' -> day = Integer.parseInt(v);
        case 'H' -> hour = Integer.parseInt(v);
        case 'I' -> {
          hour = Integer.parseInt(v) % 12;
          twelveHour = true;
        }
        case 'M' -> minute = Integer.parseInt(v);
        case 'S' -> second = Integer.parseInt(v);
        case 'f' -> micros = Integer.parseInt((v + "00000").substring(0, 6));
        case 'j' -> dayOfYear = Integer.parseInt(v);
        case 'p' -> pm = v.equalsIgnoreCase("PM");
        case 'b', 'B' -> month = monthNumber(v, text, format);
        default -> {} // day names do not change the date, as in Python
      }
    }
    if (twelveHour && pm) {
      hour += 12;
    }
    try {
      LocalDate date =
          dayOfYear > 0 ? LocalDate.ofYearDay(year, dayOfYear) : LocalDate.of(year, month, day);
      return ZonedDateTime.of(
          date, LocalTime.of(hour, minute, second, micros * 1000), ZoneOffset.UTC);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          "time data '" + text + "' is not a valid date for format '" + format + "'");
    }
  }

  private static int monthNumber(String name, String text, String format) {
    for (java.time.Month month : java.time.Month.values()) {
      String full = month.getDisplayName(TextStyle.FULL, Locale.ENGLISH);
      if (full.equalsIgnoreCase(name) || full.substring(0, 3).equalsIgnoreCase(name)) {
        return month.getValue();
      }
    }
    throw new IllegalArgumentException(
        "time data '" + text + "' does not match format '" + format + "'");
  }

  private static IllegalArgumentException unsupported(char d, String format) {
    return new IllegalArgumentException(
        "format directive %"
            + d
            + " in '"
            + format
            + "' is not supported — use %Y %y %m %d %H %I %M %S %f %p %j %a %A %b %B %z %Z %%");
  }

  private static String offset(ZoneOffset o) {
    int s = o.getTotalSeconds();
    StringBuilder b = new StringBuilder(s < 0 ? "-" : "+");
    s = Math.abs(s);
    pad(b, s / 3600, 2);
    pad(b, (s / 60) % 60, 2);
    return b.toString();
  }

  private static StringBuilder pad(StringBuilder b, int value, int width) {
    String s = Integer.toString(value);
    for (int i = s.length(); i < width; i++) {
      b.append('0');
    }
    return b.append(s);
  }
}
