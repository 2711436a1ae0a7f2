package io.updraft.dag;

import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * The kinds of value an operator key takes, each with its check. Values are what YAML gives (or a
 * Java author passes): strings, numbers, booleans, lists, maps. A string holding a template ({@code
 * {{ ... }}}) is accepted for any scalar kind: it is rendered per try and checked then.
 */
public enum ValueType {
  /** Any string (every string is a template). */
  TEXT("a string"),
  /** A whole number. */
  INT("a whole number"),
  /** true or false. */
  BOOL("true or false"),
  /** A duration (90s, 5m, PT5M), or a number of seconds. */
  DURATION("a duration such as 30s, 5m or PT5M"),
  /** A time of day, HH:MM or HH:MM:SS. */
  TIME_OF_DAY("a time of day such as 06:30"),
  /** A map of names to scalar values (headers, environment variables). */
  STRING_MAP("a map of names to values"),
  /** A map of anything (run conf). */
  MAP("a map"),
  /** A whole number or a list of them (accepted HTTP status codes). */
  INT_OR_INT_LIST("a whole number or a list of them"),
  /** Anything, including null. */
  ANY("any value");

  private final String description;

  ValueType(String description) {
    this.description = description;
  }

  /** What a value of this kind looks like, for messages. */
  public String description() {
    return description;
  }

  /** Whether {@code value} is of this kind. */
  public boolean accepts(Object value) {
    if (this == ANY) {
      return true;
    }
    if (value instanceof String s && s.contains("{{") && this != STRING_MAP && this != MAP) {
      return true;
    }
    return switch (this) {
      case TEXT -> value instanceof String;
      case INT -> isWhole(value);
      case BOOL -> value instanceof Boolean;
      case DURATION ->
          value instanceof Duration d
              ? !d.isNegative()
              : value instanceof Number n
                  ? n.doubleValue() >= 0
                  : value instanceof String s && Durations.parse(s).isPresent();
      case TIME_OF_DAY -> value instanceof String s && isTimeOfDay(s);
      case STRING_MAP ->
          value instanceof Map<?, ?> m
              && m.values().stream()
                  .allMatch(
                      v -> v instanceof String || v instanceof Number || v instanceof Boolean);
      case MAP -> value instanceof Map;
      case INT_OR_INT_LIST ->
          isWhole(value) || (value instanceof List<?> l && l.stream().allMatch(ValueType::isWhole));
      case ANY -> true;
    };
  }

  private static boolean isWhole(Object value) {
    return value instanceof Integer
        || value instanceof Long
        || value instanceof Short
        || value instanceof java.math.BigInteger;
  }

  private static boolean isTimeOfDay(String s) {
    try {
      LocalTime.parse(s.trim());
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }
}
