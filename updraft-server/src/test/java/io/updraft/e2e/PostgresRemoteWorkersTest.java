package io.updraft.e2e;

import io.updraft.store.TestBackend;

/** PostgreSQL: claims are woken by NOTIFY. */
class PostgresRemoteWorkersTest extends RemoteWorkersTest {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }
}
