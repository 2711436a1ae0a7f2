package io.updraft.store;

class PostgresDatabaseExternalStatesTest extends DatabaseExternalStatesContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }
}
