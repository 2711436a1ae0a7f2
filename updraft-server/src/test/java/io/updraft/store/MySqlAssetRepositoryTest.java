package io.updraft.store;

class MySqlAssetRepositoryTest extends AssetRepositoryContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.mysql();
  }
}
