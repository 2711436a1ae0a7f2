package io.updraft.store;

class MySqlDatabaseExternalStatesTest extends DatabaseExternalStatesContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.mysql();
  }
}
