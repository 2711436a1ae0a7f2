package io.updraft.worker.template;

import io.pebbletemplates.pebble.error.AttributeNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Python's read-only methods of a dict, called on a map in a template: {@code get(key[, default])}
 * — Airflow's usual {@code dag_run.conf.get('table', 'orders')} — {@code keys()}, {@code values()},
 * {@code items()} (pairs as two-item lists).
 */
final class PyDicts {

  private PyDicts() {}

  static Object call(Map<?, ?> map, String method, Object[] args, int lineNumber, String file) {
    int n = args == null ? 0 : args.length;
    switch (method) {
      case "get" -> {
        if (n < 1 || n > 2) {
          throw new IllegalArgumentException("get() takes a key and an optional default");
        }
        Object key = args[0];
        return map.containsKey(key) ? map.get(key) : (n == 2 ? args[1] : null);
      }
      case "keys" -> {
        return new ArrayList<>(map.keySet());
      }
      case "values" -> {
        return new ArrayList<>(map.values());
      }
      case "items" -> {
        List<Object> pairs = new ArrayList<>();
        map.forEach((k, v) -> pairs.add(java.util.Arrays.asList(k, v)));
        return pairs;
      }
      default ->
          throw new AttributeNotFoundException(
              null,
              "a dict has no method '" + method + "' — use get, keys, values or items",
              method,
              lineNumber,
              file);
    }
  }
}
