package io.updraft.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.api.Role;
import io.updraft.scheduler.DagActions;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.StateChange;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The live feed over real HTTP: browsers hold {@code /ui/events} streams, a task instance's state
 * changes in the database, and every page showing its DAG gets the change — for one query however
 * many pages watch. The server's feed reads only when signalled here ({@link #signal}), so the
 * number of queries is exact.
 */
abstract class LiveFeedContractTest extends WebUiTestBase {
  static final Duration WAIT = Duration.ofSeconds(15);

  @Override
  Duration poll() {
    return Duration.ofHours(1);
  }

  /** Tells the feed that something changed, as another process would. */
  abstract void signal();

  /** Returns once a signal reaches the feed (PostgreSQL: its LISTEN is in place). */
  abstract void awaitSignalsHeard() throws Exception;

  SseStream open(Role role, String query) throws Exception {
    SseStream s = new SseStream(http, url("/ui/events" + query), browsers.get(role).cookie());
    assertThat(s.status).isEqualTo(200);
    return s;
  }

  void awaitWatchers(int n) throws InterruptedException {
    Instant until = Instant.now().plus(WAIT);
    while (ui.feed().watchers() != n && Instant.now().isBefore(until)) {
      Thread.sleep(20);
    }
    assertThat(ui.feed().watchers()).isEqualTo(n);
  }

  void setState(String dagId, String runId, String taskId, TaskInstanceState to, Instant at) {
    TaskInstanceRepository tis = new TaskInstanceRepository(db);
    TaskInstanceRow ti =
        tis.listForRun(dagId, runId).stream()
            .filter(t -> t.taskId().equals(taskId))
            .findFirst()
            .orElseThrow();
    tis.setStates(List.of(new StateChange(ti.id(), ti.state(), to)), at);
  }

  @Test
  void everyPageOfTheDagGetsTheChangeForOneQuery() throws Exception {
    List<SseStream> orders = new ArrayList<>();
    try (SseStream a = open(Role.VIEWER, "?dag_id=orders");
        SseStream b = open(Role.USER, "?dag_id=orders&dag_id=other");
        SseStream c = open(Role.VIEWER, "");
        SseStream cleanup = open(Role.VIEWER, "?dag_id=cleanup")) {
      orders.addAll(List.of(a, b, c));
      awaitWatchers(4);
      awaitSignalsHeard();
      // Whatever the readiness check read is behind us.
      drain(orders);
      drain(List.of(cleanup));
      long before = ui.feed().queries();

      setState("orders", RUN, "extract", TaskInstanceState.SCHEDULED, NOW.plusSeconds(60));
      signal();
      for (SseStream s : orders) {
        String data = awaitChange(s, "\"ti\":\"" + RUN + "|extract|-1\",\"state\":\"scheduled\"");
        assertThat(data).contains("\"dag\":\"orders\"");
      }
      assertThat(ui.feed().queries() - before).isEqualTo(1);
      assertThat(cleanup.next(Duration.ofMillis(300))).isNull();

      // A run's state too, and only to the pages of its DAG.
      DagActions.trigger(
          db, "cleanup", NOW.plusSeconds(3600), "c1", null, "t", NOW.plusSeconds(61));
      signal();
      String data = awaitChange(cleanup, "\"run\":\"c1\",\"state\":\"queued\"");
      assertThat(data).doesNotContain("\"orders\"");
      assertThat(awaitChange(c, "\"run\":\"c1\"")).contains("cleanup");
      assertThat(a.next(Duration.ofMillis(300))).isNull();
    }
  }

  /** Reads events until one contains {@code expected}; fails after {@link #WAIT}. */
  static String awaitChange(SseStream s, String expected) throws InterruptedException {
    Instant until = Instant.now().plus(WAIT);
    while (Instant.now().isBefore(until)) {
      String data = s.next(Duration.ofMillis(200));
      if (data != null && data.contains(expected)) {
        return data;
      }
    }
    throw new AssertionError("no event with " + expected);
  }

  static void drain(List<SseStream> streams) throws InterruptedException {
    for (SseStream s : streams) {
      while (s.next(Duration.ofMillis(100)) != null) {
        // skip
      }
    }
  }
}
