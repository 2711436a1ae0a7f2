package io.updraft.store;

class MySqlJobRepositoryTest extends JobRepositoryContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.mysql();
  }
}
