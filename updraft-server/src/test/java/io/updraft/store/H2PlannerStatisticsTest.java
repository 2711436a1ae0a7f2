package io.updraft.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class H2PlannerStatisticsTest extends PlannerStatisticsContractTest {
  @TempDir static Path dir;

  @Override
  TestBackend backend() {
    return new TestBackend.H2(dir);
  }
}
