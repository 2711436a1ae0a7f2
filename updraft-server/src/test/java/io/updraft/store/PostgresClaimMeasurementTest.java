package io.updraft.store;

class PostgresClaimMeasurementTest extends ClaimMeasurement {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }
}
