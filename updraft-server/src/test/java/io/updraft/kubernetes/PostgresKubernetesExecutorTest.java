package io.updraft.kubernetes;

import io.updraft.store.TestBackend;

class PostgresKubernetesExecutorTest extends KubernetesExecutorContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }
}
