package io.updraft.e2e.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The overlap check the cluster test relies on: it must see an overfull pool when there is one. */
class TaskEventsTest {
  private static TaskEvents.Event start(String task, long at) {
    return new TaskEvents.Event(true, "r", task, 1, at);
  }

  private static TaskEvents.Event end(String task, long at) {
    return new TaskEvents.Event(false, "r", task, 1, at);
  }

  @Test
  void countsTriesRunningAtOnce() {
    TaskEvents events =
        new TaskEvents(
            List.of(
                start("p1", 0),
                start("p2", 1),
                start("p3", 2),
                end("p1", 3),
                end("p2", 4),
                end("p3", 5),
                start("x", 1),
                end("x", 9)));
    assertThat(events.maxConcurrent("p", Long.MAX_VALUE)).isEqualTo(3);
    assertThat(events.maxConcurrent("", Long.MAX_VALUE)).isEqualTo(4);
  }

  @Test
  void aTryStartingWhenAnotherEndsDoesNotOverlapIt() {
    TaskEvents events =
        new TaskEvents(List.of(start("p1", 0), end("p1", 5), start("p2", 5), end("p2", 8)));
    assertThat(events.maxConcurrent("p", Long.MAX_VALUE)).isEqualTo(1);
  }

  @Test
  void aTryThatNeverEndedRunsUntilTheGivenInstant() {
    TaskEvents events = new TaskEvents(List.of(start("p1", 0), start("p2", 5), end("p2", 8)));
    assertThat(events.maxConcurrent("p", 4)).isEqualTo(1);
    assertThat(events.maxConcurrent("p", 6)).isEqualTo(2);
  }

  @Test
  void countsStartsPerTry() {
    TaskEvents events =
        new TaskEvents(List.of(start("a", 0), start("a", 1), start("b", 2), end("b", 3)));
    assertThat(events.startsPerTry()).containsEntry("r a 1", 2).containsEntry("r b 1", 1);
  }
}
