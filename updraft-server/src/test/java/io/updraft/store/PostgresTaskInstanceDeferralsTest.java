package io.updraft.store;

class PostgresTaskInstanceDeferralsTest extends TaskInstanceDeferralsContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }
}
