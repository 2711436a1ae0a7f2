package io.updraft.worker.operators;

import static io.updraft.worker.operators.OperatorTries.log;
import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.sensors.ExternalStates;
import io.updraft.state.TaskInstanceState;
import io.updraft.worker.FailureKind;
import io.updraft.worker.Pause;
import io.updraft.worker.TryExecution;
import io.updraft.worker.TryOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code sensor} operator on a worker, through the real task runner: {@code reschedule} pauses
 * its try, {@code poke} loops in it, timeouts fail or skip, and the log has one line per change.
 */
class SensorOperatorTest {
  @TempDir Path logs;
  @TempDir Path dags;
  OperatorTries tries;

  @BeforeEach
  void setUp() throws Exception {
    tries = new OperatorTries(logs);
    tries.dagFile = dags.resolve("d.yaml");
    Files.writeString(tries.dagFile, "dag_id: d\n");
  }

  private static Map<String, Object> sensor(String mode, Object wait, Object... more) {
    Map<String, Object> m = new HashMap<>(Map.of("mode", mode, "wait", wait));
    for (int i = 0; i < more.length; i += 2) {
      m.put((String) more[i], more[i + 1]);
    }
    return m;
  }

  // ---- reschedule

  @Test
  void rescheduleHoldsAtOnce() throws Exception {
    Files.writeString(dags.resolve("ready"), "x");
    TryOutcome o = tries.run("sensor", sensor("reschedule", Map.of("file", "ready")));
    assertThat(o.state()).isEqualTo(TaskInstanceState.SUCCESS);
    assertThat(o.pause()).isNull();
    assertThat(log(o)).contains("the condition holds (check 1)");
  }

  @Test
  void rescheduleWaitingPausesTheTryUntilTheNextCheck() throws Exception {
    TryOutcome o =
        tries.run(
            "sensor",
            sensor("reschedule", Map.of("file", "ready"), "poke_interval", "30s", "timeout", "1h"));
    assertThat(o.state()).isEqualTo(TaskInstanceState.UP_FOR_RESCHEDULE);
    assertThat(o.failure()).isEqualTo(FailureKind.NONE);
    assertThat(o.error()).isNull();
    assertThat(o.pause()).isInstanceOf(Pause.Reschedule.class);
    Instant at = ((Pause.Reschedule) o.pause()).at();
    assertThat(at).isBetween(o.start().plusSeconds(30), o.end().plusSeconds(30));
    assertThat(log(o))
        .contains("file ready: waiting — no file")
        .contains("0 of 1 conditions hold; checking again at " + at)
        .contains("try finished: up_for_reschedule");
  }

  @Test
  void aMultiWaitHoldsOnlyWhenEveryConditionHolds() throws Exception {
    Files.writeString(dags.resolve("a"), "x");
    Map<String, Object> args =
        sensor("reschedule", List.of(Map.of("file", "a"), Map.of("file", "b")));
    TryOutcome waiting = tries.run("sensor", args);
    assertThat(waiting.state()).isEqualTo(TaskInstanceState.UP_FOR_RESCHEDULE);
    assertThat(log(waiting)).contains("file b: waiting").doesNotContain("file a: holds");
    Files.writeString(dags.resolve("b"), "x");
    TryOutcome holds = tries.run("sensor", args);
    assertThat(holds.state()).isEqualTo(TaskInstanceState.SUCCESS);
    assertThat(log(holds)).contains("all 2 conditions hold");
  }

  @Test
  void theNextCheckIsNeverAfterTheTimeout() {
    tries.firstCheck = Instant.now().minus(Duration.ofMinutes(59));
    TryOutcome o =
        tries.run(
            "sensor",
            sensor("reschedule", Map.of("file", "ready"), "poke_interval", "5m", "timeout", "1h"));
    assertThat(o.state()).isEqualTo(TaskInstanceState.UP_FOR_RESCHEDULE);
    assertThat(((Pause.Reschedule) o.pause()).at()).isEqualTo(tries.firstCheck.plusSeconds(3600));
  }

  /** The timeout counts from the first check of the try, across reschedules. */
  @Test
  void rescheduleTimesOutFromTheFirstCheck() throws Exception {
    tries.firstCheck = Instant.now().minus(Duration.ofHours(2));
    TryOutcome failed =
        tries.run("sensor", sensor("reschedule", Map.of("file", "ready"), "timeout", "1h"));
    assertThat(failed.state()).isEqualTo(TaskInstanceState.FAILED);
    assertThat(failed.failure()).isEqualTo(FailureKind.SENSOR_TIMEOUT);
    assertThat(failed.error())
        .isEqualTo(
            "task 't': the sensor timed out after 1h waiting for file ready (no file "
                + dags.resolve("ready")
                + ")");
    TryOutcome skipped =
        tries.run(
            "sensor",
            sensor("reschedule", Map.of("file", "ready"), "timeout", "1h", "soft_fail", true));
    assertThat(skipped.state()).isEqualTo(TaskInstanceState.SKIPPED);
    assertThat(skipped.error()).isNull();
    assertThat(log(skipped)).contains("skipped: the sensor timed out after 1h", "soft_fail skips");
  }

  @Test
  void aFailedExternalTaskFailsTheSensorAtOnce() {
    tries.external =
        conditions -> {
          Map<io.updraft.sensors.Condition.ExternalTask, ExternalStates.Answer> m = new HashMap<>();
          conditions.forEach(c -> m.put(c, ExternalStates.Answer.of("failed")));
          return m;
        };
    TryOutcome o =
        tries.run(
            "sensor",
            sensor("poke", Map.of("external_task", Map.of("dag_id", "up", "task_id", "load"))));
    assertThat(o.state()).isEqualTo(TaskInstanceState.FAILED);
    assertThat(o.error())
        .isEqualTo(
            "task 't': a condition failed: up.load in the run at "
                + OperatorTries.LOGICAL
                + " is failed (a failed state)");
  }

  @Test
  void anExternalDagThatIsNotStoredKeepsWaitingAndSaysWhy() throws Exception {
    TryOutcome o =
        tries.run(
            "sensor", sensor("reschedule", Map.of("external_task", Map.of("dag_id", "nope"))));
    assertThat(o.state()).isEqualTo(TaskInstanceState.UP_FOR_RESCHEDULE);
    assertThat(log(o)).contains("waiting — DAG nope is not stored");
  }

  @Test
  void badArgumentsFailTheTryWithOneLine() {
    TryOutcome o =
        tries.run("sensor", sensor("reschedule", Map.of("sql", "select 1", "cnn", "db")));
    assertThat(o.state()).isEqualTo(TaskInstanceState.FAILED);
    assertThat(o.failure()).isEqualTo(FailureKind.OPERATOR);
    assertThat(o.error())
        .startsWith("task 't': wait: unknown key 'cnn' for sql")
        .doesNotContain("\n");
  }

  // ---- poke

  @Test
  void pokeChecksInOneTryUntilItHoldsLoggingOnlyChanges() throws Exception {
    Path count = dags.resolve("checks");
    TryExecution running =
        tries.start(
            "sensor",
            sensor(
                "poke",
                Map.of("command", "echo x >> checks; test -e ready"),
                "poke_interval",
                "0.05"));
    // Wait until it has checked three times, then make the condition hold.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!running.isDone() && System.nanoTime() < deadline && lines(count) < 3) {
      Thread.sleep(10);
    }
    Files.writeString(dags.resolve("ready"), "x");
    TryOutcome o = running.outcome().get(30, TimeUnit.SECONDS);
    assertThat(o.state()).isEqualTo(TaskInstanceState.SUCCESS);
    String text = log(o);
    assertThat(text.lines().filter(l -> l.contains(": waiting — exit 1"))).hasSize(1);
    assertThat(text).contains(": holds — exit 0").contains("the condition holds (check");
    assertThat(lines(count)).isGreaterThanOrEqualTo(4);
  }

  private static long lines(Path file) throws java.io.IOException {
    return Files.exists(file) ? Files.readAllLines(file).size() : 0;
  }

  @Test
  void pokeTimesOutOrIsSkippedWithSoftFail() throws Exception {
    TryOutcome failed =
        tries.run(
            "sensor",
            sensor("poke", Map.of("file", "never"), "poke_interval", "0.1", "timeout", "0.3"));
    assertThat(failed.state()).isEqualTo(TaskInstanceState.FAILED);
    assertThat(failed.error()).contains("the sensor timed out after");
    assertThat(failed.failure()).isEqualTo(FailureKind.SENSOR_TIMEOUT);
    assertThat(log(failed).lines().filter(l -> l.contains("file never: waiting"))).hasSize(1);
    TryOutcome skipped =
        tries.run(
            "sensor",
            sensor(
                "poke",
                Map.of("file", "never"),
                "poke_interval",
                "0.1",
                "timeout",
                "0.3",
                "soft_fail",
                "true"));
    assertThat(skipped.state()).isEqualTo(TaskInstanceState.SKIPPED);
  }

  @Test
  void aDeferSensorOnAWorkerChecksLikePoke() throws Exception {
    Files.writeString(dags.resolve("ready"), "x");
    TryOutcome o = tries.run("sensor", sensor("defer", Map.of("file", "ready")));
    assertThat(o.state()).isEqualTo(TaskInstanceState.SUCCESS);
    assertThat(log(o)).contains("mode defer without a triggerer here");
  }

  @Test
  void aPokingSensorStopsAtOnceWhenCancelled() throws Exception {
    TryExecution running =
        tries.start("sensor", sensor("poke", Map.of("file", "never"), "poke_interval", "1h"));
    running.cancel("marked failed by admin");
    TryOutcome o = running.outcome().get(20, TimeUnit.SECONDS);
    assertThat(o.state()).isEqualTo(TaskInstanceState.FAILED);
    assertThat(o.failure()).isEqualTo(FailureKind.CANCELLED);
  }
}
