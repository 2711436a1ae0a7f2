package io.updraft.api;

import io.updraft.store.TestBackend;

class PostgresApiResourcesTest extends ApiResourcesContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }
}
