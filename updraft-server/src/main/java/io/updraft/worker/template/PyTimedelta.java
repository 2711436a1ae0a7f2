package io.updraft.worker.template;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code datetime.timedelta} as templates see it ({@code macros.timedelta(days=1)}, or the
 * difference of two dates): {@code days}, {@code seconds}, {@code microseconds}, {@code
 * total_seconds()}, and Python's {@code str()}: {@code 1 day, 2:00:00}.
 *
 * @param micros the whole duration in microseconds, the unit Python keeps
 */
record PyTimedelta(long micros) {

  static final long MICROS_PER_SECOND = 1_000_000L;
  static final long MICROS_PER_DAY = 86_400L * MICROS_PER_SECOND;

  /** Python's argument order: {@code timedelta(days, seconds, microseconds, milliseconds, ...)}. */
  private static final List<String> ARGUMENTS =
      List.of("days", "seconds", "microseconds", "milliseconds", "minutes", "hours", "weeks");

  private static final long[] UNIT_MICROS = {
    MICROS_PER_DAY,
    MICROS_PER_SECOND,
    1,
    1_000,
    60 * MICROS_PER_SECOND,
    3_600 * MICROS_PER_SECOND,
    7 * MICROS_PER_DAY
  };

  /** {@code macros.timedelta(...)}: numbers, whole or not, positional or named, as in Python. */
  static PyTimedelta of(List<Object> args, Map<String, Object> kwargs) {
    if (args.size() > ARGUMENTS.size()) {
      throw new IllegalArgumentException("timedelta() takes at most 7 arguments");
    }
    BigDecimal total = BigDecimal.ZERO;
    for (int i = 0; i < ARGUMENTS.size(); i++) {
      String name = ARGUMENTS.get(i);
      Object v = i < args.size() ? args.get(i) : kwargs.get(name);
      if (i < args.size() && kwargs.containsKey(name)) {
        throw new IllegalArgumentException("timedelta() got two values for '" + name + "'");
      }
      if (v != null) {
        total = total.add(number(name, v).multiply(BigDecimal.valueOf(UNIT_MICROS[i])));
      }
    }
    for (String k : kwargs.keySet()) {
      if (!ARGUMENTS.contains(k)) {
        throw new IllegalArgumentException(
            "timedelta() has no argument '" + k + "' — use " + String.join(", ", ARGUMENTS));
      }
    }
    // Python rounds a fraction of a microsecond half to even.
    return new PyTimedelta(total.setScale(0, RoundingMode.HALF_EVEN).longValueExact());
  }

  private static BigDecimal number(String name, Object v) {
    if (v instanceof Number n && !(v instanceof Double || v instanceof Float)) {
      return new BigDecimal(n.toString());
    }
    if (v instanceof Double || v instanceof Float) {
      return BigDecimal.valueOf(((Number) v).doubleValue());
    }
    throw new IllegalArgumentException(name + " must be a number, not '" + PyText.str(v) + "'");
  }

  long days() {
    return Math.floorDiv(micros, MICROS_PER_DAY);
  }

  long seconds() {
    return Math.floorMod(micros, MICROS_PER_DAY) / MICROS_PER_SECOND;
  }

  long microseconds() {
    return Math.floorMod(micros, MICROS_PER_SECOND);
  }

  PyTimedelta plus(PyTimedelta other) {
    return new PyTimedelta(Math.addExact(micros, other.micros));
  }

  PyTimedelta negated() {
    return new PyTimedelta(Math.negateExact(micros));
  }

  PyTimedelta times(long factor) {
    return new PyTimedelta(Math.multiplyExact(micros, factor));
  }

  /** The attributes and methods templates reach. */
  TemplateObject object() {
    return new TemplateObject(
        "timedelta",
        Map.of("days", days(), "seconds", seconds(), "microseconds", microseconds()),
        Map.of(
            "total_seconds",
            (args, kwargs) -> micros / (double) MICROS_PER_SECOND), // Python's float division
        toString());
  }

  /** Python's {@code str(timedelta)}: {@code -1 day, 23:00:00}, {@code 0:00:01.500000}. */
  @Override
  public String toString() {
    long s = seconds();
    String text = String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    long d = days();
    if (d != 0) {
      text = d + (Math.abs(d) == 1 ? " day, " : " days, ") + text;
    }
    long us = microseconds();
    return us == 0 ? text : text + String.format(".%06d", us);
  }
}
