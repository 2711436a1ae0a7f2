package io.updraft.store;

class PostgresPoolRepositoryTest extends PoolRepositoryContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }
}
