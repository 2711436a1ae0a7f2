package io.updraft.api;

import io.updraft.store.TestBackend;

class PostgresApiEndpointsTest extends ApiEndpointsContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }
}
