package io.updraft.api;

import io.updraft.store.TestBackend;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class H2DagRunBulkTest extends DagRunBulkContractTest {
  @TempDir static Path dir;

  @Override
  TestBackend backend() {
    return new TestBackend.H2(dir);
  }
}
