package io.updraft.sdk;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks that a param or operator arg is a value a DAG file could hold (text, a number, a boolean,
 * null, a list or a map with text keys, nested freely) and copies it, so later changes to the
 * caller's collections do not reach the DAG. Rejected at the call, with the key, because such a
 * value could not be serialized or shown to a template.
 */
final class JsonValues {
  private JsonValues() {}

  static Object copy(String path, Object value) {
    return switch (value) {
      case null -> null;
      case String s -> s;
      case Boolean b -> b;
      case Integer i -> i;
      case Long l -> l;
      case Short s -> s;
      case Byte b -> b;
      case BigInteger b -> b;
      case BigDecimal b -> b;
      case Double d -> finite(path, d, d);
      case Float f -> finite(path, f, f.doubleValue());
      case Map<?, ?> m -> {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
          if (!(e.getKey() instanceof String key)) {
            throw new IllegalArgumentException(
                path + ": map key " + e.getKey() + " is not text — map keys must be strings");
          }
          out.put(key, copy(path + "." + key, e.getValue()));
        }
        yield Collections.unmodifiableMap(out);
      }
      case List<?> l -> {
        List<Object> out = new ArrayList<>(l.size());
        for (int i = 0; i < l.size(); i++) {
          out.add(copy(path + "[" + i + "]", l.get(i)));
        }
        yield Collections.unmodifiableList(out);
      }
      default ->
          throw new IllegalArgumentException(
              path
                  + ": a "
                  + value.getClass().getName()
                  + " cannot be a DAG value — use text, a number, true/false, a list or a map"
                  + " (a Duration as text such as \"5m\", a date as \"2024-01-01\")");
    };
  }

  private static Number finite(String path, Number n, double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new IllegalArgumentException(
          path + ": " + n + " has no JSON form — write it as text instead");
    }
    return n;
  }
}
