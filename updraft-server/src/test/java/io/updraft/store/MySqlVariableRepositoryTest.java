package io.updraft.store;

class MySqlVariableRepositoryTest extends VariableRepositoryContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.mysql();
  }
}
