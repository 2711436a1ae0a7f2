package io.updraft.serde;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes plain Java values (null, String, Boolean, Number, List, Map with String keys) as canonical
 * JSON: one line, no insignificant whitespace, object keys sorted, one spelling per value. Two
 * values that mean the same give the same text, so the text can be hashed.
 *
 * <p>The rules, close to RFC 8785 (JSON Canonicalization Scheme) where it applies:
 *
 * <ul>
 *   <li>Object keys are sorted by {@link String#compareTo} (UTF-16 code units, as RFC 8785).
 *   <li>Strings: {@code "} and {@code \} escaped, control characters below U+0020 as {@code \b \f
 *       \n \r \t} or <code>&#92;u00XX</code> (lower-case hex), every other character as itself (the
 *       caller encodes the text as UTF-8). A lone surrogate, which UTF-8 cannot carry, is written
 *       as a <code>&#92;uXXXX</code> escape so that it survives a round trip instead of turning
 *       into {@code ?}.
 *   <li>Integral numbers (Byte, Short, Integer, Long, BigInteger, the atomics, and a BigDecimal
 *       with no fractional digits) print as plain decimal digits, whatever their Java type: YAML
 *       gives Integer, Long or BigInteger by size, a Java author may write {@code 5L}.
 *   <li>Floating numbers (Float, Double, a BigDecimal with fractional digits) print as {@link
 *       Double#toString(double)}, the shortest text that reads back as the same double (JDK 19+),
 *       e.g. {@code 0.1}, {@code 5.0}, {@code 1.0E-5}. A Float is widened through its own shortest
 *       text ({@code 0.1f} prints {@code 0.1}); a BigDecimal is rounded to the nearest double. The
 *       integral/floating distinction is kept ({@code 5} vs {@code 5.0}) because templates render
 *       them differently. NaN and infinities have no JSON form and are rejected.
 * </ul>
 */
public final class CanonicalJson {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private CanonicalJson() {}

  /** Text already written canonically, inserted as it is (lets a part carry its own paths). */
  record Raw(String json) {}

  /**
   * The canonical JSON text of a value.
   *
   * @throws DagSerializationException for a value JSON cannot hold, naming where it is
   */
  public static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(out, value, "");
    return out.toString();
  }

  /**
   * Appends the canonical JSON text of a value.
   *
   * @param path where the value is, for error messages (e.g. {@code tasks[load].args.url})
   */
  static void write(StringBuilder out, Object value, String path) {
    switch (value) {
      case null -> out.append("null");
      case String s -> string(out, s);
      case Boolean b -> out.append(b.booleanValue());
      case Number n -> out.append(number(n, path));
      case Map<?, ?> m -> object(out, m, path);
      case List<?> l -> array(out, l, path);
      case Raw r -> out.append(r.json());
      default ->
          throw new DagSerializationException(
              path
                  + ": a "
                  + value.getClass().getName()
                  + " cannot be serialized — use text, a number, true/false, a list or a map");
    }
  }

  private static void object(StringBuilder out, Map<?, ?> map, String path) {
    List<String> keys = new ArrayList<>(map.size());
    for (Object key : map.keySet()) {
      if (!(key instanceof String s)) {
        throw new DagSerializationException(
            path + ": map key " + key + " is not text — map keys must be strings");
      }
      keys.add(s);
    }
    keys.sort(null);
    out.append('{');
    for (int i = 0; i < keys.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      String key = keys.get(i);
      string(out, key);
      out.append(':');
      write(out, map.get(key), path.isEmpty() ? key : path + "." + key);
    }
    out.append('}');
  }

  private static void array(StringBuilder out, List<?> list, String path) {
    out.append('[');
    for (int i = 0; i < list.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      write(out, list.get(i), path + "[" + i + "]");
    }
    out.append(']');
  }

  /** Appends a JSON string literal. */
  static void string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            unicodeEscape(out, c);
          } else if (Character.isHighSurrogate(c)
              && i + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(i + 1))) {
            out.append(c).append(s.charAt(++i));
          } else if (Character.isSurrogate(c)) {
            unicodeEscape(out, c);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static void unicodeEscape(StringBuilder out, char c) {
    out.append("\\u")
        .append(HEX[(c >> 12) & 0xf])
        .append(HEX[(c >> 8) & 0xf])
        .append(HEX[(c >> 4) & 0xf])
        .append(HEX[c & 0xf]);
  }

  /** The canonical text of a number; see the class comment. */
  static String number(Number n, String path) {
    return switch (n) {
      case Integer i -> Integer.toString(i);
      case Long l -> Long.toString(l);
      case Short s -> Short.toString(s);
      case Byte b -> Byte.toString(b);
      case AtomicInteger a -> Integer.toString(a.get());
      case AtomicLong a -> Long.toString(a.get());
      case BigInteger b -> b.toString();
      case Double d -> floating(d, path);
      // Float.toString is the float's shortest text; parsing it as a double keeps 0.1f as 0.1.
      case Float f -> floating(Double.parseDouble(Float.toString(f)), path);
      case BigDecimal b -> b.scale() <= 0 ? b.toBigInteger().toString() : floating(b, path);
      default ->
          throw new DagSerializationException(
              path
                  + ": a "
                  + n.getClass().getName()
                  + " cannot be serialized — use Integer, Long, BigInteger, Double or BigDecimal");
    };
  }

  private static String floating(BigDecimal b, String path) {
    double d = b.doubleValue();
    if (Double.isInfinite(d)) {
      throw new DagSerializationException(
          path + ": " + b + " is too large for a double — write it as text");
    }
    return floating(d, path);
  }

  private static String floating(double d, String path) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new DagSerializationException(
          path + ": " + d + " has no JSON form — write it as text (e.g. \"" + d + "\")");
    }
    return Double.toString(d);
  }
}
