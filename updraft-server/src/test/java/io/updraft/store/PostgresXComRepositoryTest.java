package io.updraft.store;

class PostgresXComRepositoryTest extends XComRepositoryContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }
}
