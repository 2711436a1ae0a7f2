package io.updraft.store;

class MySqlDagRunRepositoryTest extends DagRunRepositoryContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.mysql();
  }
}
