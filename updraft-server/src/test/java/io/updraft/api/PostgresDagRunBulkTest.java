package io.updraft.api;

import io.updraft.store.TestBackend;

class PostgresDagRunBulkTest extends DagRunBulkContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }
}
