package io.updraft.connections;

import io.updraft.store.TestBackend;

class PostgresLookupsTest extends LookupsContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }
}
