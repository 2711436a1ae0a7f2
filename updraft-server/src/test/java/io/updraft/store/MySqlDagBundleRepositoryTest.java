package io.updraft.store;

class MySqlDagBundleRepositoryTest extends DagBundleRepositoryContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.mysql();
  }
}
