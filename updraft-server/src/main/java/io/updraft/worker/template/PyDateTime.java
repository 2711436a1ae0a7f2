package io.updraft.worker.template;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A date-time as templates see it. Airflow's dates ({@code logical_date}, {@code
 * data_interval_start}, ...) are pendulum {@code DateTime}s in UTC ({@code aware}); {@code
 * macros.datetime(2024, 1, 1)} is Python's naive {@code datetime}. Both print as Python's {@code
 * str()} does (pendulum 3: {@code 2024-01-01 00:00:00+00:00}; naive: no offset), and take {@code +}
 * / {@code -} with a {@link PyTimedelta}; two dates subtract to a timedelta, but, as in Python, not
 * a naive one and an aware one.
 *
 * @param time the wall-clock time; UTC when {@code aware}
 * @param aware true for a UTC date, false for a naive one
 */
record PyDateTime(LocalDateTime time, boolean aware) {

  private static final Set<String> SHIFT_UNITS =
      Set.of("years", "months", "weeks", "days", "hours", "minutes", "seconds", "microseconds");
  private static final List<String> FIELDS =
      List.of("year", "month", "day", "hour", "minute", "second", "microsecond");

  static PyDateTime utc(Instant at) {
    return new PyDateTime(LocalDateTime.ofInstant(at, ZoneOffset.UTC), true);
  }

  /** {@code macros.datetime(year, month, day[, hour, minute, second, microsecond])}: naive. */
  static PyDateTime naive(List<Object> args, Map<String, Object> kwargs) {
    int[] f = {0, 0, 0, 0, 0, 0, 0};
    for (int i = 0; i < FIELDS.size(); i++) {
      Object v = i < args.size() ? args.get(i) : kwargs.get(FIELDS.get(i));
      if (v == null && i < 3) {
        throw new IllegalArgumentException("missing argument '" + FIELDS.get(i) + "'");
      }
      f[i] = v == null ? 0 : whole(FIELDS.get(i), v);
    }
    for (String k : kwargs.keySet()) {
      if (!FIELDS.contains(k)) {
        throw new IllegalArgumentException(
            "datetime() takes " + String.join(", ", FIELDS) + "; not '" + k + "'");
      }
    }
    try {
      return new PyDateTime(
          LocalDateTime.of(f[0], f[1], f[2], f[3], f[4], f[5], Math.multiplyExact(f[6], 1000)),
          false);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }

  PyDateTime plus(PyTimedelta d) {
    return new PyDateTime(time.plus(d.micros(), ChronoUnit.MICROS), aware);
  }

  PyTimedelta minus(PyDateTime other) {
    if (aware != other.aware) {
      throw new IllegalArgumentException("can't subtract offset-naive and offset-aware datetimes");
    }
    return new PyTimedelta(ChronoUnit.MICROS.between(other.time, time));
  }

  /** The attributes and methods templates reach: Python's and pendulum's common ones. */
  TemplateObject object() {
    Map<String, Object> attrs = new LinkedHashMap<>();
    attrs.put("year", time.getYear());
    attrs.put("month", time.getMonthValue());
    attrs.put("day", time.getDayOfMonth());
    attrs.put("hour", time.getHour());
    attrs.put("minute", time.getMinute());
    attrs.put("second", time.getSecond());
    attrs.put("microsecond", time.getNano() / 1000);
    attrs.put("timezone_name", aware ? "UTC" : null);
    Map<String, TemplateFunction> methods = new LinkedHashMap<>();
    methods.put(
        "strftime",
        (args, kwargs) -> {
          if (args.isEmpty() || args.get(0) == null) {
            throw new IllegalArgumentException("missing argument 'format'");
          }
          return PyDates.strftime(time.atZone(ZoneOffset.UTC), String.valueOf(args.get(0)));
        });
    methods.put(
        "isoformat",
        (args, kwargs) -> {
          Object sep = args.isEmpty() ? kwargs.getOrDefault("sep", "T") : args.get(0);
          if (String.valueOf(sep).length() != 1) {
            throw new IllegalArgumentException("isoformat() separator must be one character");
          }
          return isoformat(String.valueOf(sep).charAt(0));
        });
    methods.put("to_date_string", (args, kwargs) -> time.toLocalDate().toString());
    methods.put("to_iso8601_string", (args, kwargs) -> isoformat('T'));
    methods.put("date", (args, kwargs) -> time.toLocalDate().toString());
    methods.put("weekday", (args, kwargs) -> time.getDayOfWeek().getValue() - 1);
    methods.put("isoweekday", (args, kwargs) -> time.getDayOfWeek().getValue());
    methods.put(
        "timestamp",
        (args, kwargs) -> {
          Instant at = time.toInstant(ZoneOffset.UTC);
          return at.getEpochSecond() + at.getNano() / 1e9;
        });
    methods.put("add", (args, kwargs) -> shift(args, kwargs, 1));
    methods.put("subtract", (args, kwargs) -> shift(args, kwargs, -1));
    methods.put("replace", this::replace);
    return new TemplateObject("datetime", attrs, methods, toString());
  }

  /** pendulum's {@code add(days=1)} / {@code subtract(months=1)}: calendar-aware. */
  private PyDateTime shift(List<Object> args, Map<String, Object> kwargs, int sign) {
    if (!args.isEmpty()) {
      throw new IllegalArgumentException("takes named arguments only, e.g. add(days=1)");
    }
    LocalDateTime t = time;
    for (Map.Entry<String, Object> e : kwargs.entrySet()) {
      if (!SHIFT_UNITS.contains(e.getKey())) {
        throw new IllegalArgumentException(
            "no unit '" + e.getKey() + "' — use years, months, weeks, days, hours, ...");
      }
      long n = sign * (long) whole(e.getKey(), e.getValue());
      t =
          switch (e.getKey()) {
            case "years" -> t.plusYears(n);
            case "months" -> t.plusMonths(n);
            case "weeks" -> t.plusWeeks(n);
            case "days" -> t.plusDays(n);
            case "hours" -> t.plusHours(n);
            case "minutes" -> t.plusMinutes(n);
            case "seconds" -> t.plusSeconds(n);
            default -> t.plus(n, ChronoUnit.MICROS);
          };
    }
    return new PyDateTime(t, aware);
  }

  /** Python's {@code replace(day=1, ...)}. */
  private PyDateTime replace(List<Object> args, Map<String, Object> kwargs) {
    if (!args.isEmpty()) {
      throw new IllegalArgumentException("takes named arguments only, e.g. replace(day=1)");
    }
    LocalDateTime t = time;
    try {
      for (Map.Entry<String, Object> e : kwargs.entrySet()) {
        int v = whole(e.getKey(), e.getValue());
        t =
            switch (e.getKey()) {
              case "year" -> t.withYear(v);
              case "month" -> t.withMonth(v);
              case "day" -> t.withDayOfMonth(v);
              case "hour" -> t.withHour(v);
              case "minute" -> t.withMinute(v);
              case "second" -> t.withSecond(v);
              case "microsecond" -> t.withNano(Math.multiplyExact(v, 1000));
              default ->
                  throw new IllegalArgumentException(
                      "no field '" + e.getKey() + "' — use " + String.join(", ", FIELDS));
            };
      }
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
    return new PyDateTime(t, aware);
  }

  private static int whole(String name, Object v) {
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return Math.toIntExact(((Number) v).longValue());
    }
    throw new IllegalArgumentException(
        name + " must be a whole number, not '" + PyText.str(v) + "'");
  }

  /** Python's {@code isoformat(sep)}: {@code .ffffff} only when there are microseconds. */
  String isoformat(char sep) {
    if (aware) {
      return PyDates.isoformat(time.toInstant(ZoneOffset.UTC), sep);
    }
    String utc = PyDates.isoformat(time.toInstant(ZoneOffset.UTC), sep);
    return utc.substring(0, utc.length() - "+00:00".length());
  }

  /** Python's {@code str()}: pendulum 3 and {@code datetime} both separate with a space. */
  @Override
  public String toString() {
    return isoformat(' ');
  }
}
