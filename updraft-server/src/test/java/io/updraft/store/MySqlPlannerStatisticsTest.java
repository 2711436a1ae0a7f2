package io.updraft.store;

class MySqlPlannerStatisticsTest extends PlannerStatisticsContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.mysql();
  }
}
