package io.updraft.api;

import io.updraft.store.TestBackend;

class PostgresMetricsEndpointTest extends MetricsEndpointContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }
}
