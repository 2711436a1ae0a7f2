package io.updraft.store;

class PostgresDagBundleRepositoryTest extends DagBundleRepositoryContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }
}
