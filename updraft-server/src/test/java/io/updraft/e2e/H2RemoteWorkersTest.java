package io.updraft.e2e;

import io.updraft.store.TestBackend;

/** The home's embedded H2: only the standalone JVM opens it; workers reach it through the API. */
class H2RemoteWorkersTest extends RemoteWorkersTest {
  @Override
  TestBackend backend() {
    return null;
  }
}
