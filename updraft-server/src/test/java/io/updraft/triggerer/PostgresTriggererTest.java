package io.updraft.triggerer;

import io.updraft.store.TestBackend;

class PostgresTriggererTest extends TriggererContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }
}
