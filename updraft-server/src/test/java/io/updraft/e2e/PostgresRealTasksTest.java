package io.updraft.e2e;

import io.updraft.store.TestBackend;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL: a scratch database on the test's server (UPDRAFT_TEST_PG_URL) or the embedded one;
 * the sql task writes to that same database.
 */
class PostgresRealTasksTest extends RealTasksTest {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }

  /** The scratch database's {@code jdbc:postgresql://HOST:PORT/DB?user=U} as a connection. */
  @Override
  List<String> warehouseConnection(Path warehouseDir) {
    URI jdbc = URI.create(site.dbUrl().substring("jdbc:".length()));
    List<String> options =
        new ArrayList<>(
            List.of(
                "--conn-type", "postgres",
                "--conn-host", jdbc.getHost(),
                "--conn-port", String.valueOf(jdbc.getPort()),
                "--conn-schema", jdbc.getPath().substring(1)));
    String query = jdbc.getQuery() == null ? "" : jdbc.getQuery();
    for (String pair : query.split("&")) {
      String[] kv = pair.split("=", 2);
      if (kv.length == 2 && kv[0].equals("user")) {
        options.addAll(List.of("--conn-login", kv[1]));
      } else if (kv.length == 2 && kv[0].equals("password")) {
        options.addAll(List.of("--conn-password", kv[1]));
      }
    }
    return options;
  }
}
