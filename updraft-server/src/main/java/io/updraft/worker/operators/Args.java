package io.updraft.worker.operators;

import io.updraft.dag.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an operator's rendered keys with the type each needs. The DAG validator checked the types
 * of literal values already; what reaches here may still be a rendered template ({@code "{{
 * params.code }}"} becomes a string), so numbers and lists are also accepted as text.
 */
final class Args {
  private final String connId;
  private final Map<String, Object> args;

  Args(String connId, Map<String, Object> args) {
    this.connId = connId;
    this.args = args;
  }

  boolean has(String key) {
    Object v = args.get(key);
    return v != null && !(v instanceof String s && s.isBlank());
  }

  Object raw(String key) {
    return args.get(key);
  }

  String text(String key, String fallback) {
    Object v = args.get(key);
    return v == null || (v instanceof String s && s.isBlank()) ? fallback : String.valueOf(v);
  }

  String required(String key, String hint) {
    String v = text(key, null);
    if (v == null) {
      throw fail(key + " is not set — " + hint);
    }
    return v;
  }

  boolean bool(String key, boolean fallback) {
    Object v = args.get(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    String s = String.valueOf(v).strip().toLowerCase(java.util.Locale.ROOT);
    return switch (s) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0", "" -> false;
      default -> throw fail(key + " must be true or false, not '" + v + "'");
    };
  }

  Duration duration(String key, Duration fallback) {
    Object v = args.get(key);
    if (v == null || (v instanceof String s && s.isBlank())) {
      return fallback;
    }
    return Durations.fromValue(v)
        .orElseThrow(() -> fail(key + " must be a duration such as 30s or 5m, not '" + v + "'"));
  }

  /** A list of strings from a YAML list, one string, or a comma-separated string. */
  List<String> strings(String key) {
    Object v = args.get(key);
    List<String> out = new ArrayList<>();
    if (v instanceof List<?> l) {
      l.forEach(x -> out.add(String.valueOf(x).strip()));
    } else if (v != null) {
      for (String s : String.valueOf(v).split("[,;]")) {
        if (!s.isBlank()) {
          out.add(s.strip());
        }
      }
    }
    return out;
  }

  /** A list of whole numbers from a YAML list, a number, or "200, 201". */
  List<Integer> ints(String key) {
    List<Integer> out = new ArrayList<>();
    Object v = args.get(key);
    List<?> items = v instanceof List<?> l ? l : v == null ? List.of() : List.of(v);
    for (Object item : items) {
      if (item instanceof Number n) {
        out.add(n.intValue());
        continue;
      }
      for (String s : String.valueOf(item).replaceAll("[\\[\\]]", "").split(",")) {
        if (s.isBlank()) {
          continue;
        }
        try {
          out.add(Integer.parseInt(s.strip()));
        } catch (NumberFormatException e) {
          throw fail(key + " must be a whole number or a list of them, not '" + v + "'");
        }
      }
    }
    return out;
  }

  /** A map of names to text values (headers). */
  Map<String, String> stringMap(String key) {
    Object v = args.get(key);
    Map<String, String> out = new LinkedHashMap<>();
    if (v == null) {
      return out;
    }
    if (!(v instanceof Map<?, ?> m)) {
      throw fail(key + " must be a map of names to values, not '" + v + "'");
    }
    m.forEach((k, x) -> out.put(String.valueOf(k), x == null ? "" : String.valueOf(x)));
    return out;
  }

  OperatorFailure fail(String message) {
    return new OperatorFailure(connId, message);
  }
}
