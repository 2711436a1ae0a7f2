package io.updraft.e2e;

import io.updraft.store.TestBackend;

/** The home's embedded H2: the killed JVM was serving it; the next one takes it over. */
class H2CrashRecoveryTest extends CrashRecoveryTest {
  @Override
  TestBackend backend() {
    return null;
  }
}
