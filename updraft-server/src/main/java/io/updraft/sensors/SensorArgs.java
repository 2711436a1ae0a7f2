package io.updraft.sensors;

import io.updraft.dag.BuiltinOperators;
import io.updraft.dag.Durations;
import io.updraft.dag.Glob;
import io.updraft.dag.Suggestions;
import io.updraft.state.DagRunState;
import io.updraft.state.TaskInstanceState;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a sensor's rendered arguments into a {@link SensorSpec}. The DAG validator checked the
 * literal values when the file was read; what arrives here may be a rendered template, so every key
 * is checked again and a bad one is one line naming it ({@link SensorArgumentException}).
 */
final class SensorArgs {
  private SensorArgs() {}

  static SensorSpec read(Map<String, Object> args, SensorSpec.RunDates dates) {
    Object wait = args.get("wait");
    List<Map<?, ?>> items = new ArrayList<>();
    if (wait instanceof Map<?, ?> one) {
      items.add(one);
    } else if (wait instanceof List<?> list && !list.isEmpty()) {
      for (int i = 0; i < list.size(); i++) {
        if (!(list.get(i) instanceof Map<?, ?> m)) {
          throw fail("wait[" + i + "] must be a condition such as {file: /data/ready}");
        }
        items.add(m);
      }
    } else {
      throw fail("wait must be a condition or a non-empty list of them, e.g. {file: /data/ready}");
    }
    List<Condition> conditions = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      String at = wait instanceof List<?> ? "wait[" + i + "]" : "wait";
      conditions.add(condition(at, items.get(i), dates));
    }
    SensorMode mode = mode(args.get("mode"));
    Duration interval =
        duration("poke_interval", args.get("poke_interval"), SensorSpec.DEFAULT_POKE_INTERVAL);
    Duration timeout = duration("timeout", args.get("timeout"), SensorSpec.DEFAULT_TIMEOUT);
    if (interval.isZero()) {
      throw fail("poke_interval must be longer than zero");
    }
    if (timeout.compareTo(interval) < 0) {
      throw fail(
          "timeout ("
              + Durations.format(timeout)
              + ") is shorter than poke_interval ("
              + Durations.format(interval)
              + ") — the sensor could check only once; raise timeout or lower poke_interval");
    }
    return new SensorSpec(
        mode,
        interval,
        bool("exponential_backoff", args.get("exponential_backoff")),
        timeout,
        bool("soft_fail", args.get("soft_fail")),
        conditions);
  }

  private static SensorMode mode(Object v) {
    if (v == null || String.valueOf(v).isBlank()) {
      return SensorMode.DEFER;
    }
    List<String> ids = BuiltinOperators.SENSOR_MODES;
    String s = String.valueOf(v).strip().toLowerCase(Locale.ROOT);
    if (!ids.contains(s)) {
      throw fail(
          "mode must be one of "
              + String.join(", ", ids)
              + ", not '"
              + v
              + "'"
              + Suggestions.didYouMean(s, ids, " — "));
    }
    return SensorMode.fromId(s);
  }

  private static Condition condition(String at, Map<?, ?> raw, SensorSpec.RunDates dates) {
    Map<String, Object> c = new LinkedHashMap<>();
    raw.forEach((k, v) -> c.put(String.valueOf(k), v));
    Map<String, List<String>> kinds = BuiltinOperators.SENSOR_CONDITION_KEYS;
    List<String> named = c.keySet().stream().filter(kinds::containsKey).toList();
    if (named.size() != 1) {
      throw fail(
          at
              + (named.isEmpty()
                  ? " names no kind of condition — use one of "
                  : " names several kinds (" + String.join(", ", named) + ") — use one of ")
              + String.join(", ", kinds.keySet()));
    }
    String kind = named.get(0);
    unknownKeys(at, c.keySet(), kinds.get(kind), kind);
    Object value = c.get(kind);
    String where = at + "." + kind;
    return switch (kind) {
      case "file" -> {
        String pattern = text(where, value);
        String bad = Glob.isPattern(pattern) ? Glob.problem(pattern) : null;
        if (bad != null) {
          throw fail(where + ": " + bad);
        }
        yield new Condition.File(pattern);
      }
      case "sql" -> {
        Object conn = c.get("conn");
        if (conn == null || String.valueOf(conn).isBlank()) {
          throw fail(at + " needs conn: (the id of the database's connection) next to sql:");
        }
        yield new Condition.Sql(String.valueOf(conn).strip(), text(where, value));
      }
      case "http" -> http(at, c);
      case "time" -> {
        LocalTime t;
        try {
          t = LocalTime.parse(text(where, value).strip());
        } catch (DateTimeParseException e) {
          throw fail(where + " must be a time of day such as 06:30, not '" + value + "'");
        }
        Instant on =
            dates
                .dataIntervalEnd()
                .atZone(dates.zone())
                .toLocalDate()
                .atTime(t)
                .atZone(dates.zone())
                .toInstant();
        yield new Condition.At(on, "time " + value);
      }
      case "time_delta" -> {
        Duration d = duration(where, value, null);
        yield new Condition.At(dates.dataIntervalEnd().plus(d), "time_delta " + value);
      }
      case "external_task" -> external(where, value, dates);
      case "command" -> new Condition.Command(text(where, value));
      default -> throw new IllegalStateException("no reader for condition kind " + kind);
    };
  }

  private static Condition http(String at, Map<String, Object> c) {
    Object conn = c.get("conn");
    String method = c.get("method") == null ? "GET" : String.valueOf(c.get("method")).strip();
    Map<String, String> headers = new LinkedHashMap<>();
    Object h = c.get("headers");
    if (h instanceof Map<?, ?> m) {
      m.forEach((k, v) -> headers.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
    } else if (h != null) {
      throw fail(at + ".headers must be a map of names to values");
    }
    String pointer = null;
    Object equals = null;
    Object json = c.get("json");
    if (json instanceof Map<?, ?> j) {
      Set<String> keys = new LinkedHashSet<>();
      j.keySet().forEach(k -> keys.add(String.valueOf(k)));
      unknownKeys(at + ".json", keys, BuiltinOperators.HTTP_JSON_KEYS, "json");
      pointer = j.get("pointer") == null ? null : String.valueOf(j.get("pointer"));
      equals = j.get("equals");
      if (pointer == null) {
        throw fail(at + ".json needs pointer: (a JSON Pointer such as /status)");
      }
    } else if (json != null) {
      pointer = String.valueOf(json);
    }
    if (pointer != null && !pointer.isEmpty() && !pointer.startsWith("/")) {
      throw fail(at + ".json pointer must start with / (a JSON Pointer), not '" + pointer + "'");
    }
    return new Condition.Http(
        conn == null || String.valueOf(conn).isBlank() ? null : String.valueOf(conn).strip(),
        text(at + ".http", c.get("http")),
        method.toUpperCase(Locale.ROOT),
        headers,
        statuses(at + ".expect_status", c.get("expect_status")),
        pointer,
        equals,
        c.get("timeout") == null ? null : duration(at + ".timeout", c.get("timeout"), null));
  }

  /** Status codes from a number, a list, or text such as "200, 204" (a rendered template). */
  private static List<Integer> statuses(String where, Object v) {
    List<Integer> out = new ArrayList<>();
    String all = v instanceof List<?> l ? l.toString() : v == null ? "" : String.valueOf(v);
    for (String code : all.split("[\\[\\],\\s]+")) {
      if (code.matches("\\d{3}")) {
        out.add(Integer.valueOf(code));
      } else if (!code.isEmpty()) {
        throw fail(where + " must be a status code or a list of them, not '" + v + "'");
      }
    }
    return out;
  }

  private static Condition external(String where, Object value, SensorSpec.RunDates dates) {
    if (!(value instanceof Map<?, ?> raw)) {
      throw fail(where + " must be a map such as {dag_id: load_orders, task_id: load}");
    }
    Map<String, Object> m = new LinkedHashMap<>();
    raw.forEach((k, v) -> m.put(String.valueOf(k), v));
    unknownKeys(where, m.keySet(), BuiltinOperators.EXTERNAL_TASK_KEYS, "external_task");
    Object dagId = m.get("dag_id");
    if (dagId == null || String.valueOf(dagId).isBlank()) {
      throw fail(where + " needs dag_id: (the DAG to wait for)");
    }
    Object taskId = m.get("task_id");
    Object date = m.get("logical_date");
    Object delta = m.get("execution_delta");
    if (date != null && delta != null) {
      throw fail(where + " sets both logical_date and execution_delta — keep one");
    }
    Instant logical = dates.logicalDate();
    if (date != null) {
      logical = instant(where + ".logical_date", String.valueOf(date));
    } else if (delta != null) {
      logical = logical.minus(duration(where + ".execution_delta", delta, null));
    }
    List<String> allowed = states(where + ".allowed_states", m.get("allowed_states"), "success");
    List<String> failed = states(where + ".failed_states", m.get("failed_states"), "failed");
    List<String> both = allowed.stream().filter(failed::contains).toList();
    if (!both.isEmpty()) {
      throw fail(
          where
              + " lists "
              + String.join(", ", both)
              + " in both allowed_states and failed_states — keep each state in one");
    }
    return new Condition.ExternalTask(
        String.valueOf(dagId).strip(),
        taskId == null || String.valueOf(taskId).isBlank() ? null : String.valueOf(taskId).strip(),
        logical,
        null,
        allowed,
        failed);
  }

  private static List<String> states(String where, Object v, String fallback) {
    if (v == null) {
      return List.of(fallback);
    }
    List<String> out = new ArrayList<>();
    List<?> items = v instanceof List<?> l ? l : List.of(String.valueOf(v).split(","));
    Set<String> known = new LinkedHashSet<>();
    for (TaskInstanceState s : TaskInstanceState.values()) {
      known.add(s.id());
    }
    for (DagRunState s : DagRunState.values()) {
      known.add(s.name().toLowerCase(Locale.ROOT));
    }
    for (Object item : items) {
      String s = String.valueOf(item).strip().toLowerCase(Locale.ROOT);
      if (s.isEmpty()) {
        continue;
      }
      if (!known.contains(s)) {
        throw fail(
            where
                + " names an unknown state '"
                + item
                + "'"
                + Suggestions.didYouMean(s, known, " — "));
      }
      out.add(s);
    }
    return out;
  }

  /** An ISO-8601 instant, date-time (UTC when it has no offset) or date (UTC midnight). */
  static Instant instant(String where, String text) {
    String t = text.strip();
    try {
      return OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeParseException e) {
      // a date-time without offset, or a date
    }
    try {
      return t.length() <= 10
          ? LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant()
          : LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw fail(
          where + " must be ISO-8601 (2024-01-01, 2024-01-01T02:00:00+00:00), not '" + text + "'");
    }
  }

  private static void unknownKeys(String at, Set<String> keys, List<String> allowed, String owner) {
    for (String k : keys) {
      if (!allowed.contains(k)) {
        throw fail(at + ": " + BuiltinOperators.unknownKey(k, allowed, owner));
      }
    }
  }

  private static String text(String where, Object v) {
    if (v == null || v instanceof Map || v instanceof List || String.valueOf(v).isBlank()) {
      throw fail(where + " must be a non-empty string");
    }
    return String.valueOf(v);
  }

  static Duration duration(String key, Object v, Duration fallback) {
    if (v == null || (v instanceof String s && s.isBlank())) {
      if (fallback == null) {
        throw fail(key + " must be a duration such as 30s or 5m");
      }
      return fallback;
    }
    if (v instanceof Number n && n.doubleValue() < 0) {
      throw fail(key + " must not be negative, not " + v);
    }
    return Durations.fromValue(v)
        .orElseThrow(() -> fail(key + " must be a duration such as 30s or 5m, not '" + v + "'"));
  }

  private static boolean bool(String key, Object v) {
    if (v == null) {
      return false;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    return switch (String.valueOf(v).strip().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0", "" -> false;
      default -> throw fail(key + " must be true or false, not '" + v + "'");
    };
  }

  private static SensorArgumentException fail(String message) {
    return new SensorArgumentException(message);
  }
}
