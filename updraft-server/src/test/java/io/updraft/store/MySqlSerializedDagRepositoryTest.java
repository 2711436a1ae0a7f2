package io.updraft.store;

class MySqlSerializedDagRepositoryTest extends SerializedDagRepositoryContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.mysql();
  }
}
