package io.updraft.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.store.ChangeSignals;
import io.updraft.store.TestBackend;
import java.time.Instant;

/** On PostgreSQL the feed LISTENs: another process's NOTIFY wakes it. */
class PostgresLiveFeedTest extends LiveFeedContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }

  @Override
  void signal() {
    ChangeSignals.announce(db);
  }

  @Override
  void awaitSignalsHeard() throws Exception {
    Instant until = Instant.now().plus(WAIT);
    while (ui.feed().queries() == 0 && Instant.now().isBefore(until)) {
      ChangeSignals.announce(db);
      Thread.sleep(200);
    }
    assertThat(ui.feed().queries()).isPositive();
    Thread.sleep(1000); // the notifications still in flight are read and done
  }
}
