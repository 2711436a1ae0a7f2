package io.updraft.scheduler;

import io.updraft.store.TestBackend;

class PostgresBackfillsTest extends BackfillsContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }
}
