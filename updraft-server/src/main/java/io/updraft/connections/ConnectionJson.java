package io.updraft.connections;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Airflow's JSON form of a connection: {@code {"conn_type": "postgres", "host": ..., "port": 5432,
 * "login": ..., "password": ..., "schema": ..., "extra": {...} or "{...}", "description": ...}} —
 * what {@code UPDRAFT_CONN_<ID>} may hold instead of a URI, and each entry of {@code connections
 * import|export}. Errors never repeat values.
 */
public final class ConnectionJson {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> FIELDS =
      Set.of("conn_type", "host", "port", "login", "password", "schema", "extra", "description");

  private ConnectionJson() {}

  /** Parses a JSON object's text. */
  public static Connection parse(String connId, String text) {
    Object value;
    try {
      value = JSON.readValue(text, Object.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("it is not valid JSON (" + where(e) + ")");
    }
    if (!(value instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException("it must be a JSON object of connection fields");
    }
    return fromMap(connId, map);
  }

  /** A connection from a parsed JSON object. */
  public static Connection fromMap(String connId, Map<?, ?> fields) {
    for (Object k : fields.keySet()) {
      if (!FIELDS.contains(String.valueOf(k))) {
        throw new IllegalArgumentException(
            "it has an unknown field '" + k + "' — the fields are " + String.join(", ", sorted()));
      }
    }
    Object type = fields.get("conn_type");
    if (type == null || String.valueOf(type).isBlank()) {
      throw new IllegalArgumentException("it has no conn_type");
    }
    return new Connection(
        connId,
        ConnectionUri.normalizeType(String.valueOf(type)),
        text(fields.get("host")),
        port(fields.get("port")),
        text(fields.get("login")),
        text(fields.get("password")),
        text(fields.get("schema")),
        extra(fields.get("extra")),
        text(fields.get("description")));
  }

  /**
   * The extra as Airflow accepts it: a JSON object, or its text; null or "" is none.
   *
   * @throws IllegalArgumentException when it is not a JSON object
   */
  public static Map<String, Object> extra(Object extra) {
    if (extra == null || (extra instanceof String s && s.isBlank())) {
      return Map.of();
    }
    Object value = extra;
    if (extra instanceof String s) {
      try {
        value = JSON.readValue(s, Object.class);
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("its extra is not valid JSON (" + where(e) + ")");
      }
    }
    if (!(value instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException("its extra must be a JSON object");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    map.forEach((k, v) -> out.put(String.valueOf(k), v));
    return out;
  }

  /** The extra as JSON text; null when empty. */
  public static String extraText(Map<String, Object> extra) {
    if (extra == null || extra.isEmpty()) {
      return null;
    }
    try {
      return JSON.writeValueAsString(extra);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an extra read from JSON is JSON again", e);
    }
  }

  /**
   * Airflow's export entry of a connection: every field, the extra as JSON text; {@code password}
   * in clear (an export is a backup).
   */
  public static Map<String, Object> exportEntry(Connection c) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("conn_type", c.connType());
    entry.put("description", c.description());
    entry.put("login", c.login());
    entry.put("password", c.password());
    entry.put("host", c.host());
    entry.put("port", c.port());
    entry.put("schema", c.schema());
    entry.put("extra", extraText(c.extra()));
    return entry;
  }

  /** Where JSON broke; not Jackson's message, which quotes the text (perhaps a password). */
  private static String where(JsonProcessingException e) {
    return e.getLocation() == null
        ? "unreadable"
        : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
  }

  private static String text(Object v) {
    return v == null ? null : String.valueOf(v);
  }

  private static Integer port(Object v) {
    if (v == null || (v instanceof String s && s.isBlank())) {
      return null;
    }
    try {
      int port = v instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(v).strip());
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("its port must be a number from 0 to 65535");
    }
  }

  private static java.util.List<String> sorted() {
    return FIELDS.stream().sorted().toList();
  }
}
