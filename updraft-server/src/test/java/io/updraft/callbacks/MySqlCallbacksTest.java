package io.updraft.callbacks;

import io.updraft.store.TestBackend;

class MySqlCallbacksTest extends CallbacksContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.mysql();
  }
}
