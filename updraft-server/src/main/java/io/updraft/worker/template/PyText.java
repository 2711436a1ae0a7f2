package io.updraft.worker.template;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Map;

/**
 * Python's {@code str()} of a template value, which is what Jinja prints: {@code None}, {@code
 * True}, {@code False}, {@code 3.0}, {@code 1e+16}. Maps and lists are the exception: they print as
 * JSON (decision 0049), where Jinja prints Python's {@code repr}.
 */
final class PyText {

  private PyText() {}

  /** What {@code {{ value }}}, {@code ~}, {@code |string} and {@code |join} write. */
  static String str(Object value) {
    if (value == null) {
      return "None";
    }
    if (value instanceof Boolean b) {
      return b ? "True" : "False";
    }
    if (value instanceof Double || value instanceof Float) {
      return floatRepr(((Number) value).doubleValue());
    }
    if (value instanceof BigDecimal d) {
      return floatRepr(d.doubleValue());
    }
    if (TemplateJson.isStructured(value)) {
      return TemplateJson.text(value);
    }
    return value.toString();
  }

  /**
   * Python's {@code repr(float)}: the shortest digits that read back as the same double (Java's
   * {@link Double#toString} finds the same ones), positional from 1e-4 up to 1e16, else {@code
   * 1.5e-07} / {@code 1e+16}; always a {@code .0} when positional and whole.
   */
  static String floatRepr(double d) {
    if (Double.isNaN(d)) {
      return "nan";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "inf" : "-inf";
    }
    if (d == 0) {
      return (1 / d < 0) ? "-0.0" : "0.0";
    }
    BigDecimal shortest = new BigDecimal(Double.toString(d)).stripTrailingZeros();
    int exponent = shortest.precision() - shortest.scale() - 1;
    if (exponent >= -4 && exponent < 16) {
      String plain = shortest.toPlainString();
      return plain.contains(".") ? plain : plain + ".0";
    }
    String digits = shortest.unscaledValue().abs().toString();
    StringBuilder b = new StringBuilder();
    if (d < 0) {
      b.append('-');
    }
    b.append(digits.charAt(0));
    if (digits.length() > 1) {
      b.append('.').append(digits, 1, digits.length());
    }
    b.append('e').append(exponent < 0 ? '-' : '+');
    int abs = Math.abs(exponent);
    if (abs < 10) {
      b.append('0');
    }
    return b.append(abs).toString();
  }

  /** Python's truth value: None, False, zero, "" and empty collections are false. */
  static boolean truthy(Object value) {
    if (value == null) {
      return false;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof Number n) {
      return n.doubleValue() != 0;
    }
    if (value instanceof CharSequence s) {
      return !s.isEmpty();
    }
    if (value instanceof Collection<?> c) {
      return !c.isEmpty();
    }
    if (value instanceof Map<?, ?> m) {
      return !m.isEmpty();
    }
    if (value.getClass().isArray()) {
      return java.lang.reflect.Array.getLength(value) > 0;
    }
    return true;
  }
}
