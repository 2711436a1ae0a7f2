package io.updraft.worker.template;

import io.pebbletemplates.pebble.error.AttributeNotFoundException;
import io.pebbletemplates.pebble.extension.Filter;
import io.pebbletemplates.pebble.extension.core.LengthFilter;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Jinja's filters over sequences: {@code join(d='', attribute=None)}, {@code sort(reverse=false,
 * case_sensitive=false, attribute=None)}, {@code unique(case_sensitive=false, attribute=None)},
 * {@code list}, {@code first}, {@code last}, {@code length} / {@code count}. As in Python, a map
 * iterates over its keys and a string over its characters. The input is never changed.
 */
final class JinjaSequenceFilters {

  private JinjaSequenceFilters() {}

  static Map<String, Filter> all() {
    Map<String, Filter> filters = new LinkedHashMap<>();
    filters.put(
        "join",
        JinjaFilters.named(
            List.of("d", "attribute"),
            (in, a) -> {
              String glue = a.get("d") == null ? "" : PyText.str(a.get("d"));
              List<String> parts = new ArrayList<>();
              for (Object item : items(in)) {
                parts.add(PyText.str(attribute(item, a.get("attribute"))));
              }
              return String.join(glue, parts);
            }));
    filters.put(
        "sort",
        JinjaFilters.named(
            List.of("reverse", "case_sensitive", "attribute"),
            (in, a) -> {
              List<Object> out = items(in);
              Comparator<Object> order =
                  Comparator.comparing(
                      item -> key(attribute(item, a.get("attribute")), a.get("case_sensitive")),
                      JinjaSequenceFilters::compare);
              // List.sort is stable, and so is Python's sorted(reverse=True).
              out.sort(PyText.truthy(a.get("reverse")) ? order.reversed() : order);
              return out;
            }));
    filters.put(
        "unique",
        JinjaFilters.named(
            List.of("case_sensitive", "attribute"),
            (in, a) -> {
              List<Object> out = new ArrayList<>();
              Set<Object> seen = new HashSet<>();
              for (Object item : items(in)) {
                if (seen.add(key(attribute(item, a.get("attribute")), a.get("case_sensitive")))) {
                  out.add(item);
                }
              }
              return out;
            }));
    filters.put("list", JinjaFilters.named(List.of(), (in, a) -> items(in)));
    filters.put("first", new Ends(true));
    filters.put("last", new Ends(false));
    filters.put("count", new LengthFilter());
    return filters;
  }

  /** Python's {@code list(value)}: a new list of the items, keys or characters. */
  static List<Object> items(Object value) {
    if (value instanceof Map<?, ?> m) {
      return new ArrayList<>(m.keySet());
    }
    if (value instanceof Collection<?> c) {
      return new ArrayList<>(c);
    }
    if (value instanceof String s) {
      List<Object> chars = new ArrayList<>();
      s.codePoints().forEach(cp -> chars.add(new String(Character.toChars(cp))));
      return chars;
    }
    if (value != null && value.getClass().isArray()) {
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < Array.getLength(value); i++) {
        out.add(Array.get(value, i));
      }
      return out;
    }
    throw new IllegalArgumentException("'" + PyText.str(value) + "' is not a sequence");
  }

  /** Jinja's attribute getter: {@code "address.city"}, or an index into a list. */
  private static Object attribute(Object item, Object path) {
    if (path == null) {
      return item;
    }
    Object v = item;
    for (String part : PyText.str(path).split("\\.")) {
      if (v instanceof Map<?, ?> m && m.containsKey(part)) {
        v = m.get(part);
      } else if (v instanceof TemplateObject o && o.attributes().containsKey(part)) {
        v = o.attributes().get(part);
      } else if (v instanceof PyDateTime d && d.object().attributes().containsKey(part)) {
        v = d.object().attributes().get(part);
      } else if (v instanceof List<?> l && part.matches("-?\\d+")) {
        int i = Integer.parseInt(part);
        v = l.get(i < 0 ? l.size() + i : i);
      } else {
        throw new IllegalArgumentException(
            "'" + PyText.str(item) + "' has no attribute or key '" + part + "'");
      }
    }
    return v;
  }

  /** Strings compare without case unless {@code case_sensitive}, as Jinja's ignore_case. */
  private static Object key(Object v, Object caseSensitive) {
    return v instanceof String s && !PyText.truthy(caseSensitive) ? s.toLowerCase(Locale.ROOT) : v;
  }

  /** Python's ordering: numbers with numbers, strings with strings, dates with dates. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compare(Object a, Object b) {
    if (PythonOperators.isNumber(a) && PythonOperators.isNumber(b)) {
      if (PythonOperators.isInt(a) && PythonOperators.isInt(b)) {
        return PythonOperators.big(a).compareTo(PythonOperators.big(b));
      }
      return Double.compare(((Number) num(a)).doubleValue(), ((Number) num(b)).doubleValue());
    }
    if (a instanceof PyDateTime x && b instanceof PyDateTime y && x.aware() == y.aware()) {
      return x.time().compareTo(y.time());
    }
    if (a != null && b != null && a.getClass() == b.getClass() && a instanceof Comparable c) {
      return c.compareTo(b);
    }
    throw new IllegalArgumentException(
        "cannot order '" + PyText.str(a) + "' and '" + PyText.str(b) + "'");
  }

  private static Object num(Object v) {
    return v instanceof Boolean b ? (b ? 1 : 0) : v;
  }

  /**
   * {@code first} / {@code last}. Of an empty sequence Jinja gives Undefined, an error when printed
   * (Airflow's StrictUndefined) that {@code default} replaces: here the same.
   */
  private static final class Ends implements Filter {
    private final boolean first;

    Ends(boolean first) {
      this.first = first;
    }

    @Override
    public List<String> getArgumentNames() {
      return List.of();
    }

    @Override
    public Object apply(
        Object input,
        Map<String, Object> args,
        PebbleTemplate self,
        EvaluationContext context,
        int lineNumber) {
      List<Object> all = items(input);
      if (all.isEmpty()) {
        String what = "no " + (first ? "first" : "last") + " item, the sequence is empty";
        throw new AttributeNotFoundException(null, what, what, lineNumber, self.getName());
      }
      return all.get(first ? 0 : all.size() - 1);
    }
  }
}
