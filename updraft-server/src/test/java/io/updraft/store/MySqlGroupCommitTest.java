package io.updraft.store;

class MySqlGroupCommitTest extends GroupCommitContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.mysql();
  }
}
