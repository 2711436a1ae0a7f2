package io.updraft.store;

class PostgresDagRunRepositoryTest extends DagRunRepositoryContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }
}
