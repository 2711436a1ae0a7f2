package io.updraft.e2e;

import io.updraft.store.TestBackend;

/** MySQL/MariaDB when UPDRAFT_TEST_MYSQL_URL is set; skipped (and said so) otherwise. */
class MySqlCrashRecoveryTest extends CrashRecoveryTest {
  @Override
  TestBackend backend() {
    return TestBackend.mysql();
  }
}
