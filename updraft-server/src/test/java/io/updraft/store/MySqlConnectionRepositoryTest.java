package io.updraft.store;

class MySqlConnectionRepositoryTest extends ConnectionRepositoryContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.mysql();
  }
}
