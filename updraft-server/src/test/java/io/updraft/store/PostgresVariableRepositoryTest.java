package io.updraft.store;

class PostgresVariableRepositoryTest extends VariableRepositoryContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }
}
