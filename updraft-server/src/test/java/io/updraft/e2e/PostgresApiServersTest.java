package io.updraft.e2e;

import io.updraft.store.TestBackend;

/** PostgreSQL: a scratch database on the test's server or the embedded one. */
class PostgresApiServersTest extends ApiServersTest {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }
}
