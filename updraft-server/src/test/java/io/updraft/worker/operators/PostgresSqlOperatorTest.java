package io.updraft.worker.operators;

import io.updraft.connections.Connection;
import io.updraft.store.TestBackend;
import java.net.URI;
import java.util.Map;

/** PostgreSQL through a {@code postgres} connection: host, port, schema (the database), login. */
class PostgresSqlOperatorTest extends SqlOperatorContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }

  @Override
  Connection connection(String url) {
    URI u = URI.create(url.substring("jdbc:".length()));
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
        "db",
        "postgres",
        u.getHost(),
        u.getPort() < 0 ? null : u.getPort(),
        user,
        password,
        u.getPath().substring(1),
        Map.of());
  }

  @Override
  String slowQuery(int seconds) {
    return "select pg_sleep(" + seconds + ")";
  }
}
