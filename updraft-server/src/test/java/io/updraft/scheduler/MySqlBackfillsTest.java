package io.updraft.scheduler;

import io.updraft.store.TestBackend;

class MySqlBackfillsTest extends BackfillsContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.mysql();
  }
}
