package io.updraft.sensors;

import io.updraft.connections.Connection;
import io.updraft.store.TestBackend;
import java.util.Map;

/** MySQL/MariaDB through a {@code jdbc} connection whose host is the whole URL. */
class MariaDbSqlChecksTest extends SqlChecksContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.mysql();
  }

  @Override
  Connection connection(String url) {
    return new Connection("db", "jdbc", url, null, null, null, null, Map.of());
  }

  @Override
  String slowQuery(int seconds) {
    return "select sleep(" + seconds + ") = 0";
  }
}
