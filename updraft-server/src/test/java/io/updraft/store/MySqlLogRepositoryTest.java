package io.updraft.store;

class MySqlLogRepositoryTest extends LogRepositoryContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.mysql();
  }
}
