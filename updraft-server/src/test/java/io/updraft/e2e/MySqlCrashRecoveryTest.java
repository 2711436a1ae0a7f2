package io.updraft.e2e;

import io.updraft.store.ScratchDatabase;
import io.updraft.store.TestBackend;

/** MySQL/MariaDB when UPDRAFT_TEST_MYSQL_URL is set; skipped (and said so) otherwise. */
class MySqlCrashRecoveryTest extends CrashRecoveryTest {
  private ScratchDatabase scratch;

  @Override
  void createDatabase() {
    scratch = TestBackend.mysql().create();
  }

  @Override
  void dropDatabase() throws Exception {
    if (scratch != null) { // null when the backend was skipped
      scratch.close();
    }
  }

  @Override
  String dbUrl() {
    return scratch.config().url();
  }
}
