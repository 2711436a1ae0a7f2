package io.updraft.store;

class PostgresJobRepositoryTest extends JobRepositoryContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }
}
