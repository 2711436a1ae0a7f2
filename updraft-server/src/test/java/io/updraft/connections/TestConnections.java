package io.updraft.connections;

import java.net.URI;
import java.util.Map;

/** Connections to the test databases, as users would add them. */
public final class TestConnections {
  private TestConnections() {}

  /**
   * A {@code postgres} connection {@code connId} to the database of a JDBC URL such as {@code
   * jdbc:postgresql://host:port/db?user=u&password=p}: host, port, schema (the database), login.
   */
  public static Connection postgres(String connId, String jdbcUrl) {
    URI u = URI.create(jdbcUrl.substring("jdbc:".length()));
    String user = null;
    String password = null;
    for (String kv : u.getQuery() == null ? new String[0] : u.getQuery().split("&")) {
      String[] p = kv.split("=", 2);
      if (p[0].equals("user")) {
        user = p[1];
      } else if (p[0].equals("password")) {
        password = p[1];
      }
    }
    return new Connection(
        connId,
        "postgres",
        u.getHost(),
        u.getPort() < 0 ? null : u.getPort(),
        user,
        password,
        u.getPath().substring(1),
        Map.of());
  }
}
