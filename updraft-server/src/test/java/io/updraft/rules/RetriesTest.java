package io.updraft.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.dag.Task;
import io.updraft.state.TaskInstanceState;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetriesTest {

  private static Task task(String id, Duration delay, boolean exponential, Duration maxRetryDelay) {
    Task t = Task.of(id, "empty", Map.of());
    return new Task(
        t.taskId(),
        t.operator(),
        t.args(),
        t.upstream(),
        t.triggerRule(),
        3,
        delay,
        exponential,
        maxRetryDelay,
        t.executionTimeout(),
        t.pool(),
        t.poolSlots(),
        t.priorityWeight(),
        t.weightRule(),
        t.queue(),
        t.maxActiveTisPerDag(),
        t.dependsOnPast(),
        t.waitForDownstream(),
        t.startDate(),
        t.endDate(),
        t.env(),
        t.owner(),
        t.doc());
  }

  @ParameterizedTest(name = "retries={0} try={1} -> {2}")
  @CsvSource({
    "0, 1, false",
    "1, 1, true",
    "1, 2, false",
    "3, 1, true",
    "3, 3, true",
    "3, 4, false",
  })
  void retriesPlusOneTriesInAll(int retries, int tryNumber, boolean eligible) {
    assertThat(Retries.eligibleForRetry(retries, tryNumber)).isEqualTo(eligible);
  }

  @Test
  void clearingGrantsFreshRetriesAndRestartingAlwaysRetries() {
    // retries=1, tried twice, then cleared: max_tries = 2 + 1 = 3.
    assertThat(Retries.eligibleForRetry(1, 3, 3)).isTrue();
    assertThat(Retries.eligibleForRetry(1, 3, 4)).isFalse();
    assertThat(Retries.eligibleForRetry(0, 5, 1)).isFalse();
    assertThat(Retries.eligibleForRetry(TaskInstanceState.RESTARTING, 0, 0, 7)).isTrue();
    assertThat(Retries.eligibleForRetry(TaskInstanceState.RUNNING, 0, 0, 1)).isFalse();
  }

  private static final Instant END = Instant.parse("2024-01-01T01:00:00Z");
  private static final Instant LOGICAL = Instant.parse("2024-01-01T00:00:00Z");

  @Test
  void withoutBackoffTheDelayIsFixedAndUncapped() {
    Task t = task("t", Duration.ofHours(30), false, Duration.ofMinutes(1));
    assertThat(Retries.nextRetryAt(t, END, 5, "d", LOGICAL))
        .isEqualTo(END.plus(Duration.ofHours(30)));
  }

  /** Expected seconds computed independently with Python's hashlib and Airflow's formula. */
  @ParameterizedTest(name = "{0}.{1} {2} try {3} delay {4}s -> {5}s")
  @CsvSource({
    "d, t, 2024-01-01T00:00:00Z, 1, 300, 521",
    "d, t, 2024-01-01T00:00:00Z, 2, 300, 817",
    "d, t, 2024-01-01T00:00:00Z, 3, 300, 1518",
    "orders, extract, 2024-03-05T06:30:00.250Z, 4, 60, 810",
    "d, t, 2024-01-01T00:00:00Z, 1, 1, 1",
    "d, t, 2024-01-01T00:00:00Z, 5, 3600, 81117",
    // base 2^5 h = 32 h is over the 24 h cap
    "d, t, 2024-01-01T00:00:00Z, 6, 3600, 86400",
    // base 0 is raised to 1 s
    "d, t, 2024-01-01T00:00:00Z, 1, 0, 1",
    // huge try numbers do not overflow
    "d, t, 2024-01-01T00:00:00Z, 4000, 300, 86400",
  })
  void exponentialBackoffMatchesAirflow(
      String dagId, String taskId, String logical, int tryNumber, long delay, long expected) {
    Task t = task(taskId, Duration.ofSeconds(delay), true, null);
    assertThat(Retries.retryDelay(t, tryNumber, dagId, Instant.parse(logical)))
        .isEqualTo(Duration.ofSeconds(expected));
    assertThat(Retries.nextRetryAt(t, END, tryNumber, dagId, Instant.parse(logical)))
        .isEqualTo(END.plusSeconds(expected));
  }

  @Test
  void backoffIsCappedByMaxRetryDelayButZeroMeansNoCap() {
    Task capped = task("t", Duration.ofSeconds(300), true, Duration.ofSeconds(600));
    assertThat(Retries.retryDelay(capped, 2, "d", LOGICAL)).isEqualTo(Duration.ofSeconds(600));
    assertThat(Retries.retryDelay(capped, 1, "d", LOGICAL)).isEqualTo(Duration.ofSeconds(521));
    Task zero = task("t", Duration.ofSeconds(300), true, Duration.ZERO);
    assertThat(Retries.retryDelay(zero, 2, "d", LOGICAL)).isEqualTo(Duration.ofSeconds(817));
  }

  @Test
  void logicalDatePrintsAsPythonDoes() {
    assertThat(Retries.pythonUtcString(Instant.parse("2024-01-01T00:00:00Z")))
        .isEqualTo("2024-01-01 00:00:00+00:00");
    assertThat(Retries.pythonUtcString(Instant.parse("2024-03-05T06:30:00.250Z")))
        .isEqualTo("2024-03-05 06:30:00.250000+00:00");
  }
}
