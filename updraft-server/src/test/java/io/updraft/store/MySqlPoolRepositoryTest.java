package io.updraft.store;

class MySqlPoolRepositoryTest extends PoolRepositoryContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.mysql();
  }
}
