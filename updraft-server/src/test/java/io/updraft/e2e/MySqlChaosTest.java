package io.updraft.e2e;

import io.updraft.store.TestBackend;

/** MySQL/MariaDB when UPDRAFT_TEST_MYSQL_URL is set; skipped (and said so) otherwise. */
class MySqlChaosTest extends ChaosTest {
  @Override
  TestBackend backend() {
    return TestBackend.mysql();
  }
}
