package io.updraft.e2e;

/** The home's embedded H2, served by the standalone JVM while it runs. */
class H2GracefulStopTest extends GracefulStopTest {
  @Override
  String dbUrl() {
    return null;
  }
}
