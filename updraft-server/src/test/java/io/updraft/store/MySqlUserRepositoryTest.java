package io.updraft.store;

class MySqlUserRepositoryTest extends UserRepositoryContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.mysql();
  }
}
