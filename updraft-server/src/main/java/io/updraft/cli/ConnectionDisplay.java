package io.updraft.cli;

import io.updraft.connections.Connection;
import io.updraft.connections.Masking;
import io.updraft.connections.SecretMasker;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A connection as {@code connections list|get} print it: the password as {@code ***}, every
 * sensitive extra field as {@code ***}, and the password masked wherever else it appears (a JDBC
 * URL in the host, a field of the extra).
 */
final class ConnectionDisplay {
  private ConnectionDisplay() {}

  static Map<String, Object> masked(Connection c, String source) {
    SecretMasker masker = Masking.of(c);
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("conn_id", c.connId());
    row.put("conn_type", c.connType());
    row.put("description", masker.mask(c.description()));
    row.put("host", masker.mask(c.host()));
    row.put("port", c.port());
    row.put("login", masker.mask(c.login()));
    row.put("password", c.password() == null ? null : SecretMasker.MASK);
    row.put("schema", masker.mask(c.schema()));
    row.put("extra", maskedFields(c.extra(), masker));
    row.put("source", source);
    return row;
  }

  /** A map whose sensitive fields (at any depth) are {@code ***}, and known secrets masked. */
  static Map<String, Object> maskedFields(Map<String, Object> fields, SecretMasker masker) {
    return Masking.fields(fields, masker);
  }

  /** A value as the text form prints it: maps as JSON. */
  static String text(Object v) {
    return v instanceof Map<?, ?> m
        ? (m.isEmpty() ? "" : JsonOutput.write(m).replaceAll("\\s*\\n\\s*", " "))
        : String.valueOf(v);
  }
}
