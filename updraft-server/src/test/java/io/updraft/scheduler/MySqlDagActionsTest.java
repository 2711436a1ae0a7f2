package io.updraft.scheduler;

import io.updraft.store.TestBackend;

class MySqlDagActionsTest extends DagActionsContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.mysql();
  }
}
