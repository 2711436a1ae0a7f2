package io.updraft.store;

class MySqlTaskInstanceRepositoryTest extends TaskInstanceRepositoryContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.mysql();
  }
}
