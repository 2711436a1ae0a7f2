package io.updraft.store;

class MySqlClaimMeasurementTest extends ClaimMeasurement {
  @Override
  TestBackend backend() {
    return TestBackend.mysql();
  }
}
