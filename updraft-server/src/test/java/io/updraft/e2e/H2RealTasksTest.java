package io.updraft.e2e;

import io.updraft.store.TestBackend;
import java.nio.file.Path;
import java.util.List;

/** The home's embedded H2; the sql task writes to an H2 file of its own. */
class H2RealTasksTest extends RealTasksTest {
  @Override
  TestBackend backend() {
    return null;
  }

  @Override
  List<String> warehouseConnection(Path warehouseDir) {
    return List.of(
        "--conn-type", "h2", "--conn-host", "jdbc:h2:file:" + warehouseDir.resolve("warehouse"));
  }
}
