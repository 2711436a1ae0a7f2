package io.updraft.cli;

class H2StandaloneMetricsTest extends StandaloneMetricsContractTest {
  @Override
  String dbUrl() {
    return null;
  }

  @Override
  String dagId() {
    return "metrics_h2";
  }
}
