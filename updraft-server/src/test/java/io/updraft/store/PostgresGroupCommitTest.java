package io.updraft.store;

class PostgresGroupCommitTest extends GroupCommitContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }
}
