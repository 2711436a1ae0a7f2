package io.updraft.store;

class PostgresUserRepositoryTest extends UserRepositoryContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }
}
