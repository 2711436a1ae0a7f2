package io.updraft.e2e;

import io.updraft.store.TestBackend;

/** PostgreSQL: the test's server (UPDRAFT_TEST_PG_URL) or the embedded one. */
class PostgresCrashRecoveryTest extends CrashRecoveryTest {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }
}
