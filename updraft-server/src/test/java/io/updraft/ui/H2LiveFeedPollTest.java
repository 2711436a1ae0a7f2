package io.updraft.ui;

import io.updraft.api.Role;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.StateChange;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import io.updraft.store.TestBackend;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without any signal (H2, or a task ended by a worker that announces nothing), the feed's own poll
 * (half a second) finds the change.
 */
class H2LiveFeedPollTest extends WebUiTestBase {
  @TempDir static Path dir;

  @Override
  TestBackend backend() {
    return new TestBackend.H2(dir);
  }

  @Test
  void aChangeArrivesByThePollAlone() throws Exception {
    try (SseStream s =
        new SseStream(http, url("/ui/events?dag_id=orders"), browsers.get(Role.VIEWER).cookie())) {
      while (ui.feed().watchers() == 0) {
        Thread.sleep(20);
      }
      TaskInstanceRepository tis = new TaskInstanceRepository(db);
      TaskInstanceRow ti =
          tis.listForRun("orders", RUN).stream()
              .filter(t -> t.taskId().equals("load"))
              .findFirst()
              .orElseThrow();
      tis.setStates(
          List.of(new StateChange(ti.id(), ti.state(), TaskInstanceState.FAILED)),
          NOW.plusSeconds(30));
      LiveFeedContractTest.awaitChange(s, "\"ti\":\"" + RUN + "|load|-1\",\"state\":\"failed\"");
    }
  }
}
