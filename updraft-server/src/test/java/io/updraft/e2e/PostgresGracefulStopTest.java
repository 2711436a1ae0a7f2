package io.updraft.e2e;

import io.updraft.store.ScratchDatabase;
import io.updraft.store.TestBackend;

/**
 * PostgreSQL: a scratch database on the test's server (UPDRAFT_TEST_PG_URL) or the embedded one.
 */
class PostgresGracefulStopTest extends GracefulStopTest {
  private ScratchDatabase scratch;

  @Override
  void createDatabase() {
    scratch = TestBackend.postgres().create();
  }

  @Override
  void dropDatabase() throws Exception {
    if (scratch != null) {
      scratch.close();
    }
  }

  @Override
  String nextStart() {
    return "scheduler";
  }

  @Override
  String dbUrl() {
    return scratch.config().url();
  }
}
