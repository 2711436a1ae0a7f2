package io.updraft.e2e;

import io.updraft.store.TestBackend;

/** The home's H2 file, shared by the API server and the scheduler through AUTO_SERVER. */
class H2LateStartTest extends LateStartTest {
  @Override
  TestBackend backend() {
    return null;
  }
}
