package io.updraft.connections;

import io.updraft.store.TestBackend;

class MySqlLookupsTest extends LookupsContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.mysql();
  }
}
