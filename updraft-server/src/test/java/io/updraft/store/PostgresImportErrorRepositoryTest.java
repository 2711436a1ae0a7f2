package io.updraft.store;

class PostgresImportErrorRepositoryTest extends ImportErrorRepositoryContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }
}
