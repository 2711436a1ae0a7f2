package io.updraft.worker.template;

import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.extension.Filter;
import io.pebbletemplates.pebble.extension.core.DefaultFilter;
import io.pebbletemplates.pebble.template.EvaluationContext;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Jinja's filters with Jinja's arguments and results (jinja2/filters.py), in place of Pebble's
 * same-named ones, which differ: Pebble's {@code replace} takes a map, its {@code default} also
 * replaces null and empty values, its {@code title} and {@code capitalize} leave the other letters
 * alone, its {@code sort} sorts the list in place. Strings come from {@link PyText#str}, so {@code
 * none | upper} is {@code NONE} as in Jinja. The sequence filters ({@code join}, {@code sort},
 * {@code unique}, {@code list}, {@code first}, {@code last}) are in {@link JinjaSequenceFilters}.
 */
final class JinjaFilters {

  /** What {@code default} gets for a name or key that does not exist (Jinja's Undefined). */
  static final Object UNDEFINED =
      new Object() {
        @Override
        public String toString() {
          return "Undefined";
        }
      };

  private static final Pattern WORD = Pattern.compile("\\w+", Pattern.UNICODE_CHARACTER_CLASS);
  private static final Pattern TITLE_SPLIT = Pattern.compile("([-\\s({\\[<]+)");
  private static final Pattern PY_INT =
      Pattern.compile("[+-]?(0[xXoObB])?[0-9a-zA-Z]+(_[0-9a-zA-Z]+)*");
  private static final Pattern PY_FLOAT =
      Pattern.compile(
          "[+-]?((\\d+(_\\d+)*)(\\.(\\d+(_\\d+)*)?)?|\\.\\d+(_\\d+)*)([eE][+-]?\\d+(_\\d+)*)?");

  private JinjaFilters() {}

  static Map<String, Filter> all() {
    Map<String, Filter> filters = new java.util.LinkedHashMap<>();
    filters.put("default", new Default());
    filters.put("d", new Default());
    filters.put("replace", named(List.of("old", "new", "count"), JinjaFilters::replace));
    filters.put("upper", named(List.of(), (in, a) -> PyText.str(in).toUpperCase(Locale.ROOT)));
    filters.put("lower", named(List.of(), (in, a) -> PyText.str(in).toLowerCase(Locale.ROOT)));
    filters.put("string", named(List.of(), (in, a) -> PyText.str(in)));
    filters.put("trim", named(List.of("chars"), JinjaFilters::trim));
    filters.put("capitalize", named(List.of(), (in, a) -> capitalize(PyText.str(in))));
    filters.put("title", named(List.of(), (in, a) -> title(PyText.str(in))));
    filters.put(
        "wordcount",
        named(List.of(), (in, a) -> (long) WORD.matcher(PyText.str(in)).results().count()));
    filters.put("int", named(List.of("default", "base"), JinjaFilters::toInt));
    filters.put("float", named(List.of("default"), JinjaFilters::toFloat));
    filters.put("round", named(List.of("precision", "method"), JinjaFilters::round));
    filters.putAll(JinjaSequenceFilters.all());
    return filters;
  }

  /** A filter body: the input and the arguments by name (absent when not given). */
  interface Body {
    Object apply(Object input, Map<String, Object> args);
  }

  /** A filter taking Jinja's argument names, positional or named; a bad argument is one line. */
  static Filter named(List<String> names, Body body) {
    return new Filter() {
      @Override
      public List<String> getArgumentNames() {
        return names;
      }

      @Override
      public Object apply(
          Object input,
          Map<String, Object> args,
          PebbleTemplate self,
          EvaluationContext context,
          int lineNumber) {
        try {
          return body.apply(input, args);
        } catch (IllegalArgumentException | ArithmeticException e) {
          throw new PebbleException(e, e.getMessage(), lineNumber, self.getName());
        }
      }
    };
  }

  /**
   * Jinja's {@code default(default_value='', boolean=false)}: the default replaces an undefined
   * value only (a None stays None), or, with {@code boolean=true}, any false value. It extends
   * Pebble's so that Pebble lets an undefined name reach it ({@link JinjaFilterExpression}).
   */
  static final class Default extends DefaultFilter {
    @Override
    public List<String> getArgumentNames() {
      return List.of("default_value", "boolean");
    }

    @Override
    public Object apply(
        Object input,
        Map<String, Object> args,
        PebbleTemplate self,
        EvaluationContext context,
        int lineNumber) {
      Object fallback = args.getOrDefault("default_value", "");
      boolean onFalse = PyText.truthy(args.get("boolean"));
      return input == UNDEFINED || (onFalse && !PyText.truthy(input)) ? fallback : input;
    }
  }

  /** {@code replace(old, new, count=None)}: Python's {@code str.replace}. */
  private static Object replace(Object input, Map<String, Object> a) {
    if (!a.containsKey("new")) {
      throw new IllegalArgumentException(
          "replace takes (old, new[, count]) as in Jinja, e.g. replace('-', '')");
    }
    String s = PyText.str(input);
    String old = PyText.str(a.get("old"));
    String rep = PyText.str(a.get("new"));
    Object c = a.get("count");
    long count = c == null ? -1 : number("count", c);
    if (count < 0) {
      return s.replace(old, rep);
    }
    StringBuilder b = new StringBuilder();
    int from = 0;
    for (long n = 0; n < count; n++) {
      int at = old.isEmpty() ? (from <= s.length() ? from : -1) : s.indexOf(old, from);
      if (at < 0) {
        break;
      }
      b.append(s, from, at).append(rep);
      if (old.isEmpty()) {
        if (at < s.length()) {
          b.append(s.charAt(at));
        }
        from = at + 1;
      } else {
        from = at + old.length();
      }
    }
    return from <= s.length() ? b.append(s.substring(from)).toString() : b.toString();
  }

  private static Object trim(Object input, Map<String, Object> a) {
    String s = PyText.str(input);
    Object chars = a.get("chars");
    if (chars == null) {
      return s.strip();
    }
    String set = PyText.str(chars);
    int start = 0;
    int end = s.length();
    while (start < end && set.indexOf(s.charAt(start)) >= 0) {
      start++;
    }
    while (end > start && set.indexOf(s.charAt(end - 1)) >= 0) {
      end--;
    }
    return s.substring(start, end);
  }

  /** Python's {@code str.capitalize()}: the first letter upper case, all others lower. */
  static String capitalize(String s) {
    if (s.isEmpty()) {
      return s;
    }
    int first = s.codePointAt(0);
    return new StringBuilder()
        .appendCodePoint(Character.toTitleCase(first))
        .append(s.substring(Character.charCount(first)).toLowerCase(Locale.ROOT))
        .toString();
  }

  /** Jinja's {@code title}: words start after spaces, dashes and opening brackets. */
  private static String title(String s) {
    StringBuilder b = new StringBuilder(s.length());
    Matcher m = TITLE_SPLIT.matcher(s);
    int from = 0;
    while (m.find()) {
      b.append(titleWord(s.substring(from, m.start()))).append(m.group());
      from = m.end();
    }
    return b.append(titleWord(s.substring(from))).toString();
  }

  private static String titleWord(String w) {
    if (w.isEmpty()) {
      return w;
    }
    int first = w.codePointAt(0);
    String head = new String(Character.toChars(first)).toUpperCase(Locale.ROOT);
    return head + w.substring(Character.charCount(first)).toLowerCase(Locale.ROOT);
  }

  /**
   * Jinja's {@code int(default=0, base=10)}: Python's {@code int(value, base)} for text, else
   * {@code int(value)}; failing that {@code int(float(value))} (so {@code "3.7"} is 3); failing
   * that the default.
   */
  private static Object toInt(Object input, Map<String, Object> a) {
    Object fallback = a.containsKey("default") ? a.get("default") : 0L;
    if (input instanceof String s) {
      int base = a.get("base") == null ? 10 : Math.toIntExact(number("base", a.get("base")));
      Number n = pyInt(s, base);
      if (n != null) {
        return n;
      }
      Double d = pyFloat(s);
      return d == null || d.isNaN() || d.isInfinite() ? fallback : truncate(d);
    }
    if (PythonOperators.isInt(input)) {
      return PythonOperators.narrow(PythonOperators.big(input));
    }
    if (input instanceof Number n) {
      double d = n.doubleValue();
      return Double.isNaN(d) || Double.isInfinite(d) ? fallback : truncate(d);
    }
    return fallback;
  }

  private static Number truncate(double d) {
    return PythonOperators.narrow(new BigDecimal(d).toBigInteger());
  }

  /** Jinja's {@code float(default=0.0)}: Python's {@code float(value)}, else the default. */
  private static Object toFloat(Object input, Map<String, Object> a) {
    Object fallback = a.containsKey("default") ? a.get("default") : 0.0;
    if (input instanceof String s) {
      Double d = pyFloat(s);
      return d == null ? fallback : d;
    }
    if (PythonOperators.isNumber(input)) {
      return input instanceof Boolean b ? (b ? 1.0 : 0.0) : ((Number) input).doubleValue();
    }
    return fallback;
  }

  /**
   * Jinja's {@code round(precision=0, method='common')}: {@code common} is Python's {@code round}
   * (half to even, on the double's exact value); {@code ceil} and {@code floor} give a float. A
   * whole number stays whole under {@code common}, as Python's {@code round(42, 0)} is 42.
   */
  private static Object round(Object input, Map<String, Object> a) {
    int precision =
        a.get("precision") == null ? 0 : Math.toIntExact(number("precision", a.get("precision")));
    String method = a.get("method") == null ? "common" : PyText.str(a.get("method"));
    if (!PythonOperators.isNumber(input)) {
      throw new IllegalArgumentException("round needs a number, not '" + PyText.str(input) + "'");
    }
    RoundingMode mode =
        switch (method) {
          case "common" -> RoundingMode.HALF_EVEN;
          case "ceil" -> RoundingMode.CEILING;
          case "floor" -> RoundingMode.FLOOR;
          default -> throw new IllegalArgumentException("method must be common, ceil or floor");
        };
    if (PythonOperators.isInt(input) && mode == RoundingMode.HALF_EVEN) {
      return PythonOperators.narrow(
          new BigDecimal(PythonOperators.big(input)).setScale(precision, mode).toBigInteger());
    }
    double d = input instanceof Boolean b ? (b ? 1 : 0) : ((Number) input).doubleValue();
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return d;
    }
    return new BigDecimal(d).setScale(precision, mode).doubleValue();
  }

  /** Python's {@code int(text, base)}: spaces around, a sign, {@code _} between digits. */
  static Number pyInt(String text, int base) {
    String s = text.strip();
    if (!PY_INT.matcher(s).matches()) {
      return null;
    }
    String sign = s.startsWith("-") ? "-" : "";
    String digits = s.startsWith("-") || s.startsWith("+") ? s.substring(1) : s;
    String lower = digits.toLowerCase(Locale.ROOT);
    int prefixBase =
        lower.startsWith("0x") ? 16 : lower.startsWith("0o") ? 8 : lower.startsWith("0b") ? 2 : 0;
    if (prefixBase != 0) {
      if (base != prefixBase && base != 0) {
        return null;
      }
      base = prefixBase;
      digits = digits.substring(2);
    } else if (base == 0) {
      base = 10;
    }
    if (digits.startsWith("_") || base < 2 || base > 36) {
      return null;
    }
    try {
      return PythonOperators.narrow(new java.math.BigInteger(sign + digits.replace("_", ""), base));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** Python's {@code float(text)}: decimal notation, {@code inf}, {@code nan}; else null. */
  static Double pyFloat(String text) {
    String s = text.strip();
    String word = s.toLowerCase(Locale.ROOT).replaceFirst("^[+-]", "");
    if (word.equals("inf") || word.equals("infinity")) {
      return s.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (word.equals("nan")) {
      return Double.NaN;
    }
    return PY_FLOAT.matcher(s).matches() ? Double.parseDouble(s.replace("_", "")) : null;
  }

  private static long number(String name, Object v) {
    if (PythonOperators.isInt(v)) {
      return PythonOperators.big(v).longValueExact();
    }
    throw new IllegalArgumentException(
        name + " must be a whole number, not '" + PyText.str(v) + "'");
  }
}
