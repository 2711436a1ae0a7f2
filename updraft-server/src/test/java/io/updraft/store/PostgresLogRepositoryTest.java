package io.updraft.store;

class PostgresLogRepositoryTest extends LogRepositoryContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }
}
