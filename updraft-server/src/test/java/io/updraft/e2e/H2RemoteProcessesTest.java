package io.updraft.e2e;

import io.updraft.store.TestBackend;

/** The home's H2 file, shared by the API server, the scheduler and the CLI through AUTO_SERVER. */
class H2RemoteProcessesTest extends RemoteProcessesTest {
  @Override
  TestBackend backend() {
    return null;
  }
}
