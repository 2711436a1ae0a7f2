package io.updraft.dag;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as DAG files write them: ISO-8601 ({@code PT5M}, {@code P1D}, {@code P1DT12H}) or the
 * short form {@code 90s}, {@code 5m}, {@code 1h30m}, {@code 2d}.
 */
public final class Durations {
  private static final Pattern SHORT =
      Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

  /** What {@link #parse} accepts, for error messages. */
  public static final String FORMS =
      "use an ISO-8601 duration (PT5M, P1D) or the short form 90s, 5m, 1h30m, 2d";

  private Durations() {}

  /**
   * A rendered operator value as a duration: a {@link Duration}, a number of seconds (a number, or
   * text that is only a number: {@code 1.5}), or a duration's text ({@link #parse}); empty when it
   * is none of these. Not {@code Double.parseDouble} alone, which reads {@code 1d} as the number 1.
   */
  public static Optional<Duration> fromValue(Object v) {
    if (v instanceof Duration d) {
      return Optional.of(d);
    }
    if (v instanceof Number n) {
      return Optional.of(Duration.ofMillis(Math.round(n.doubleValue() * 1000)));
    }
    String s = String.valueOf(v).strip();
    if (s.matches("\\d+(\\.\\d+)?")) {
      return Optional.of(Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000)));
    }
    return parse(s);
  }

  /** Parses a duration, or returns empty when the text is not one. Zero is allowed. */
  public static Optional<Duration> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String s = text.trim();
    if (s.isEmpty()) {
      return Optional.empty();
    }
    if (s.startsWith("P") || s.startsWith("p") || s.startsWith("-P")) {
      try {
        Duration d = Duration.parse(s.toUpperCase(java.util.Locale.ROOT));
        return d.isNegative() ? Optional.empty() : Optional.of(d);
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    }
    Matcher m = SHORT.matcher(s);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      Duration d = Duration.ZERO;
      d = d.plusDays(group(m, 1)).plusHours(group(m, 2)).plusMinutes(group(m, 3));
      return Optional.of(d.plusSeconds(group(m, 4)));
    } catch (ArithmeticException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static long group(Matcher m, int i) {
    String g = m.group(i);
    return g == null ? 0 : Long.parseLong(g);
  }

  /** The canonical text of a duration: ISO-8601 as {@link Duration#toString()} writes it. */
  public static String format(Duration d) {
    return d.toString();
  }
}
