package io.updraft.sensors;

import io.updraft.connections.Connection;
import io.updraft.connections.TestConnections;
import io.updraft.store.TestBackend;

/** PostgreSQL through a {@code postgres} connection: host, port, schema (the database), login. */
class PostgresSqlChecksTest extends SqlChecksContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }

  @Override
  Connection connection(String url) {
    return TestConnections.postgres("db", url);
  }

  @Override
  String slowQuery(int seconds) {
    return "select pg_sleep(" + seconds + ") is not null";
  }
}
