package io.updraft.store;

class PostgresTaskInstanceRepositoryTest extends TaskInstanceRepositoryContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }
}
