package io.updraft.e2e;

/** The home's embedded H2: the killed JVM was serving it; the next one takes it over. */
class H2CallbackCrashTest extends CallbackCrashTest {
  @Override
  String dbUrl() {
    return null;
  }
}
