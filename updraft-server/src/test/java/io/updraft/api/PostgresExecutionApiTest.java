package io.updraft.api;

import io.updraft.store.TestBackend;

class PostgresExecutionApiTest extends ExecutionApiContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }
}
