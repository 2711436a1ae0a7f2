package io.updraft.e2e;

import io.updraft.store.TestBackend;

/** PostgreSQL: the scheduler's and the API server's heartbeat writes guarded by the try number. */
class PostgresLateStartTest extends LateStartTest {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }
}
