package io.updraft.kubernetes;

import io.updraft.store.TestBackend;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class H2KubernetesExecutorTest extends KubernetesExecutorContractTest {
  @TempDir Path dbDir;

  @Override
  TestBackend backend() {
    return new TestBackend.H2(dbDir);
  }
}
