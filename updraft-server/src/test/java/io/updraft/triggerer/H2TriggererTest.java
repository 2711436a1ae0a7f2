package io.updraft.triggerer;

import io.updraft.store.TestBackend;

class H2TriggererTest extends TriggererContractTest {
  @Override
  TestBackend backend() {
    return new TestBackend.H2(tmp);
  }
}
