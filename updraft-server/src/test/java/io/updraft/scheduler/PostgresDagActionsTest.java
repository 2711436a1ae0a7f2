package io.updraft.scheduler;

import io.updraft.store.TestBackend;

class PostgresDagActionsTest extends DagActionsContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }
}
