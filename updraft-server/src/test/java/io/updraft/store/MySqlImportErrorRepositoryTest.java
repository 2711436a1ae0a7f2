package io.updraft.store;

class MySqlImportErrorRepositoryTest extends ImportErrorRepositoryContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.mysql();
  }
}
