package io.updraft.store;

class MySqlXComRepositoryTest extends XComRepositoryContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.mysql();
  }
}
