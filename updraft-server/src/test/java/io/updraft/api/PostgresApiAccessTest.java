package io.updraft.api;

import io.updraft.store.TestBackend;

class PostgresApiAccessTest extends ApiAccessContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }
}
