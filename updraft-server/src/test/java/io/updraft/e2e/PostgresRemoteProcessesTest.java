package io.updraft.e2e;

import io.updraft.store.TestBackend;

/** PostgreSQL, as a deployment with separate processes runs. */
class PostgresRemoteProcessesTest extends RemoteProcessesTest {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }
}
