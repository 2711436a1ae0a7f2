package io.updraft.callbacks;

import io.updraft.store.TestBackend;

class PostgresCallbacksTest extends CallbacksContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }
}
