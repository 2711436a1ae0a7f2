package io.updraft.connections;

import java.util.Map;
import java.util.Objects;

/**
 * A connection (SPEC §1.7): where an operator reaches an outside system and with which credentials.
 * Values are plain here (decrypted); the store encrypts the password and the extra at rest. {@link
 * #toString()} never shows the password.
 *
 * @param connId the id DAG files name ({@code conn: warehouse})
 * @param connType Airflow's type name ({@code postgres}, {@code http}, {@code smtp}, {@code jdbc}…)
 * @param host host name, or the whole JDBC URL for {@code conn_type: jdbc}; may be null
 * @param port the port, or null
 * @param login the user, or null
 * @param password the password, or null
 * @param schema the schema (database name for SQL connections, {@code https} for HTTP ones), or
 *     null
 * @param extra the extra fields (Airflow's {@code extra_dejson}); never null
 * @param description what the connection is for, or null
 */
public record Connection(
    String connId,
    String connType,
    String host,
    Integer port,
    String login,
    String password,
    String schema,
    Map<String, Object> extra,
    String description) {

  public Connection {
    Objects.requireNonNull(connId, "connId");
    extra =
        extra == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(extra));
  }

  /** A connection without a description. */
  public Connection(
      String connId,
      String connType,
      String host,
      Integer port,
      String login,
      String password,
      String schema,
      Map<String, Object> extra) {
    this(connId, connType, host, port, login, password, schema, extra, null);
  }

  /** The same connection under another id. */
  public Connection withId(String id) {
    return new Connection(id, connType, host, port, login, password, schema, extra, description);
  }

  @Override
  public String toString() {
    return "Connection[" + connId + ", " + connType + ", " + host + ":" + port + "]";
  }
}
