package io.updraft.e2e;

import io.updraft.store.ScratchDatabase;
import io.updraft.store.TestBackend;

/** The crash test on a database server: a scratch database of {@link #backend()} per test. */
abstract class ServerCrashRecoveryTest extends CrashRecoveryTest {
  private ScratchDatabase scratch;

  abstract TestBackend backend();

  @Override
  void createDatabase() {
    scratch = backend().create();
  }

  @Override
  void dropDatabase() throws Exception {
    if (scratch != null) { // null when the backend was skipped
      scratch.close();
    }
  }

  @Override
  String dbUrl() {
    return scratch.config().url();
  }
}
