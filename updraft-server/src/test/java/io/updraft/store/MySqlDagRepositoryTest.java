package io.updraft.store;

class MySqlDagRepositoryTest extends DagRepositoryContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.mysql();
  }
}
