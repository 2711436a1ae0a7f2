package io.updraft.e2e;

/** The home's embedded H2: the killed JVM was serving it; the next one takes it over. */
class H2CrashRecoveryTest extends CrashRecoveryTest {
  @Override
  String dbUrl() {
    return null;
  }
}
