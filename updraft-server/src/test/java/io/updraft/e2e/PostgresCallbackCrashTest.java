package io.updraft.e2e;

import io.updraft.store.TestBackend;

/** PostgreSQL: the test's server (UPDRAFT_TEST_PG_URL) or the embedded one. */
class PostgresCallbackCrashTest extends CallbackCrashTest {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }
}
