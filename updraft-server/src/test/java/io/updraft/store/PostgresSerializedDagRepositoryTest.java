package io.updraft.store;

class PostgresSerializedDagRepositoryTest extends SerializedDagRepositoryContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }
}
