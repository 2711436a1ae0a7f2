package io.updraft.store;

class MySqlTaskInstanceDeferralsTest extends TaskInstanceDeferralsContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.mysql();
  }
}
