package io.updraft.store;

class PostgresAssetRepositoryTest extends AssetRepositoryContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }
}
