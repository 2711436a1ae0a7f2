package io.updraft.worker.operators;

import io.updraft.connections.Connection;
import java.util.Locale;

/**
 * The JDBC URL of an SQL connection (SPEC §1.7): {@code postgres}/{@code postgresql}, {@code
 * mysql}/{@code mariadb} (both through the MariaDB driver), {@code h2}, and {@code jdbc}, whose
 * {@code host} is the whole URL for a driver from {@code $UPDRAFT_HOME/drivers}.
 */
final class JdbcUrls {
  private JdbcUrls() {}

  static String of(Connection c) {
    String type = c.connType() == null ? "" : c.connType().toLowerCase(Locale.ROOT);
    String host = c.host() == null ? "" : c.host().strip();
    String db = c.schema() == null ? "" : c.schema().strip();
    return switch (type) {
      case "postgres", "postgresql" -> server("postgresql", c, host, 5432, db);
      case "mysql", "mariadb" -> server("mariadb", c, host, 3306, db);
      case "h2" -> {
        if (host.startsWith("jdbc:")) {
          yield host;
        }
        if (db.isEmpty()) {
          throw new OperatorFailure(
              c.connId(),
              "an h2 connection needs the database in schema (a path or mem:NAME), or the whole"
                  + " JDBC URL in host");
        }
        yield "jdbc:h2:" + db;
      }
      case "jdbc" -> {
        if (!host.startsWith("jdbc:")) {
          throw new OperatorFailure(
              c.connId(),
              "a jdbc connection holds the whole JDBC URL in host (jdbc:VENDOR:...), not '"
                  + prefix(host)
                  + "'");
        }
        yield host;
      }
      default ->
          throw new OperatorFailure(
              c.connId(),
              "conn_type '"
                  + c.connType()
                  + "' is not an SQL connection — use postgres, mysql, mariadb, h2, or jdbc with"
                  + " the JDBC URL in host and the driver's jar in $UPDRAFT_HOME/drivers");
    };
  }

  private static String server(String scheme, Connection c, String host, int port, String db) {
    if (host.isEmpty()) {
      throw new OperatorFailure(c.connId(), "the connection has no host — set its host");
    }
    return "jdbc:" + scheme + "://" + host + ":" + (c.port() == null ? port : c.port()) + "/" + db;
  }

  /** The vendor part of a URL ({@code jdbc:sqlite}), safe to print: the rest may hold secrets. */
  static String prefix(String url) {
    int first = url.indexOf(':');
    int second = first < 0 ? -1 : url.indexOf(':', first + 1);
    return second < 0 ? url.replaceAll("[?;].*", "") : url.substring(0, second);
  }
}
