package io.updraft.triggerer;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.state.TaskInstanceState;
import io.updraft.store.Database;
import io.updraft.store.DatabaseExternalStates;
import io.updraft.store.TaskInstanceTries;
import io.updraft.store.TestBackend;
import io.updraft.store.TriggerRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class PostgresTriggererTest extends TriggererContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }

  /**
   * Two triggerers, each with its own connection pool, claim from 1,000 triggers at the same time:
   * together they hold them all, never one twice, and every sensor ends exactly once.
   */
  @Test
  void twoTriggerersShareAThousandTriggersAndEveryInstanceEndsExactlyOnce() throws Exception {
    Path ready = tmp.resolve("ready");
    Map<String, Object> args =
        Map.of("wait", List.of(Map.of("file", ready.toString())), "poke_interval", "10s");
    runOf(dag("d", task("wait", "sensor", args, 0)), "r", 1000);
    List<Long> ids = defer("d", "r", "wait");
    try (Database second = Database.open(scratch.config())) {
      Triggerer a = triggerer(db, new DatabaseExternalStates(db), 600);
      Triggerer b = triggerer(second, new DatabaseExternalStates(second), 600);

      CompletableFuture<Void> pa = CompletableFuture.runAsync(() -> pass(a));
      CompletableFuture<Void> pb = CompletableFuture.runAsync(() -> pass(b));
      CompletableFuture.allOf(pa, pb).join();
      // Whoever claimed second found the rest; one more pass each fills both up to 1,000.
      pass(a);
      pass(b);
      assertThat(a.held() + b.held()).isEqualTo(1000);
      assertThat(a.held()).isPositive();
      assertThat(b.held()).isPositive();

      Files.writeString(ready, "");
      clock.now = T0.plusSeconds(10);
      CompletableFuture.allOf(
              CompletableFuture.runAsync(() -> pass(a)), CompletableFuture.runAsync(() -> pass(b)))
          .join();

      assertThat(new TriggerRepository(db).count()).isZero();
      TaskInstanceTries tries = new TaskInstanceTries(db);
      for (long id : ids) {
        assertThat(state(id)).isEqualTo(TaskInstanceState.SUCCESS);
        assertThat(tries.history(id)).hasSize(1);
      }
      assertThat(wakeups.get()).as("one wake-up per ended instance").isEqualTo(1000);
      a.close();
      b.close();
    }
  }
}
