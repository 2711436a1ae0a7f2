package io.updraft.api;

import io.updraft.store.TestBackend;

class PostgresAssetEndpointsTest extends AssetEndpointsContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }
}
