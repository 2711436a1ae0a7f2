package io.updraft.e2e;

import io.updraft.store.TestBackend;

/** PostgreSQL: claims are woken by NOTIFY. */
class PostgresChaosTest extends ChaosTest {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }
}
