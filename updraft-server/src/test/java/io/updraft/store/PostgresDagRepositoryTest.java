package io.updraft.store;

class PostgresDagRepositoryTest extends DagRepositoryContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }
}
