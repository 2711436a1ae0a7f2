package io.updraft.e2e;

import io.updraft.store.TestBackend;

/**
 * PostgreSQL: a scratch database on the test's server (UPDRAFT_TEST_PG_URL) or the embedded one.
 */
class PostgresGracefulStopTest extends GracefulStopTest {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }

  @Override
  String nextStart() {
    return "scheduler";
  }
}
