package io.updraft.store;

class PostgresConnectionRepositoryTest extends ConnectionRepositoryContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }
}
