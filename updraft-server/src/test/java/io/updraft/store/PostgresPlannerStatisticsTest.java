package io.updraft.store;

class PostgresPlannerStatisticsTest extends PlannerStatisticsContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }
}
