package io.updraft.e2e;

import io.updraft.store.TestBackend;

/** The home's embedded H2, served by the standalone JVM while it runs. */
class H2GracefulStopTest extends GracefulStopTest {
  @Override
  TestBackend backend() {
    return null;
  }
}
