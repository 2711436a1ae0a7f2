package io.updraft.api;

import io.updraft.store.TestBackend;

class PostgresApiWritesTest extends ApiWritesContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }
}
