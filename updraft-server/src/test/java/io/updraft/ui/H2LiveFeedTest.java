package io.updraft.ui;

import io.updraft.store.TestBackend;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** H2 has no notifications: the feed is woken directly, as its poll would. */
class H2LiveFeedTest extends LiveFeedContractTest {
  @TempDir static Path dir;

  @Override
  TestBackend backend() {
    return new TestBackend.H2(dir);
  }

  @Override
  void signal() {
    ui.feed().wake();
  }

  @Override
  void awaitSignalsHeard() {}
}
