package io.updraft.e2e;

import io.updraft.store.TestBackend;

/** The home's embedded H2. */
class H2SensorsTest extends SensorsTest {
  @Override
  TestBackend backend() {
    return null;
  }
}
