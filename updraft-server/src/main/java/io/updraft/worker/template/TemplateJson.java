package io.updraft.worker.template;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How maps and lists look in a rendered template: JSON, the way Python's {@code json.dumps} writes
 * it ({@code {"a": 1, "b": [1, 2]}}), never Java's {@code {a=1, b=[1, 2]}}. A date or another
 * context object inside is its printed text.
 */
public final class TemplateJson {
  private static final ObjectWriter WRITER = new ObjectMapper().writer(new PythonSeparators());

  private TemplateJson() {}

  /** True for the values {@link #text} writes as JSON: maps, collections and arrays. */
  public static boolean isStructured(Object value) {
    return value instanceof Map<?, ?>
        || value instanceof Collection<?>
        || (value != null && value.getClass().isArray());
  }

  /** {@code json.dumps(value)}: keys in their order, non-ASCII text as it is. */
  public static String text(Object value) {
    return write(plain(value, false));
  }

  /**
   * Jinja's {@code tojson} filter: keys sorted, and {@code < > & '} escaped as {@code \u003c} ...,
   * so the result can sit inside single quotes in a shell command or in HTML.
   */
  public static String htmlSafe(Object value) {
    return write(plain(value, true))
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("'", "\\u0027");
  }

  private static String write(Object plain) {
    try {
      return WRITER.writeValueAsString(plain);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write " + plain + " as JSON: " + e.getMessage());
    }
  }

  /** The value as maps, lists, strings, numbers, booleans and nulls only. */
  private static Object plain(Object value, boolean sortKeys) {
    if (value == null
        || value instanceof String
        || value instanceof Number
        || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = sortKeys ? new TreeMap<>() : new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), plain(v, sortKeys)));
      return out;
    }
    if (value instanceof Collection<?> items) {
      List<Object> out = new ArrayList<>(items.size());
      items.forEach(v -> out.add(plain(v, sortKeys)));
      return out;
    }
    if (value.getClass().isArray()) {
      List<Object> out = new ArrayList<>();
      for (int i = 0; i < Array.getLength(value); i++) {
        out.add(plain(Array.get(value, i), sortKeys));
      }
      return out;
    }
    return value.toString(); // a date or another context object: what it prints as
  }

  /** Python's default separators: {@code ", "} between items and {@code ": "} after keys. */
  private static final class PythonSeparators extends MinimalPrettyPrinter {
    @Override
    public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
      g.writeRaw(": ");
    }

    @Override
    public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
      g.writeRaw(", ");
    }

    @Override
    public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
      g.writeRaw(", ");
    }
  }
}
