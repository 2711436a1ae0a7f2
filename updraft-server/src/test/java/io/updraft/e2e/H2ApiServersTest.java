package io.updraft.e2e;

import io.updraft.store.TestBackend;

/** The home's embedded H2, shared by the two server JVMs through H2's auto-server. */
class H2ApiServersTest extends ApiServersTest {
  @Override
  TestBackend backend() {
    return null;
  }
}
