package io.updraft.api;

import io.updraft.store.TestBackend;

class MySqlDagRunBulkTest extends DagRunBulkContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.mysql();
  }
}
