package io.updraft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.state.TaskInstanceState;
import io.updraft.store.JobRepository;
import io.updraft.store.JobRow;
import io.updraft.store.JobType;
import io.updraft.store.TaskInstanceRow;
import io.updraft.store.TaskInstanceTries;
import io.updraft.store.TestBackend;
import io.updraft.store.TriggerRepository;
import io.updraft.triggerer.DeferredSensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of a real {@code updraft triggerer} holding 1,000 triggers, on PostgreSQL: a second
 * triggerer takes them over once the first's heartbeat is stale, and every sensor ends exactly once
 * when its condition comes true.
 */
class TriggererCrashTest extends HomeTestBase {
  private static final int SENSORS = 1000;

  TriggererCrashTest() {
    super(
        Map.of("UPDRAFT_SCHEDULER_SCHEDULER_HEALTH_CHECK_THRESHOLD", "4s"),
        Duration.ofSeconds(120));
  }

  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }

  private int heldBy(long jobId) {
    return db(d -> new TriggerRepository(d).heldBy(jobId).size());
  }

  private long triggererJob(ChildJvm p) {
    return db(
        d ->
            new JobRepository(d)
                .aliveSince(JobType.TRIGGERER, Instant.EPOCH).stream()
                    .filter(j -> j.pid() == p.pid())
                    .map(JobRow::id)
                    .findFirst()
                    .orElseThrow());
  }

  @Test
  void afterKill9AnotherTriggererTakesOverAndEverySensorEndsExactlyOnce() throws Exception {
    site.migrate();
    Path ready = home.resolve("ready");
    Map<String, Object> args =
        Map.of("wait", List.of(Map.of("file", ready.toString())), "poke_interval", "1s");
    List<Long> ids =
        db(
            d -> {
              Instant now = Instant.now();
              DeferredSensors.runOf(
                  d,
                  DeferredSensors.dag("d", DeferredSensors.task("wait", "sensor", args, 0)),
                  "r",
                  SENSORS,
                  home.resolve("dags/d.yaml").toString(),
                  now);
              return DeferredSensors.defer(d, "d", "r", "wait", now);
            });

    ChildJvm first = site.updraft("first", "triggerer");
    await("the first triggerer to start", first, () -> first.output().contains("is running"));
    long firstJob = triggererJob(first);
    await("the first to hold every trigger", first, () -> heldBy(firstJob) == SENSORS);

    first.kill();
    ChildJvm second = site.updraft("second", "triggerer", "--capacity", "2000");
    await("the second triggerer to start", second, () -> second.output().contains("is running"));
    long secondJob = triggererJob(second);
    await("the second to take every trigger over", second, () -> heldBy(secondJob) == SENSORS);

    Files.writeString(ready, "");
    await(
        "every sensor to end",
        second,
        () ->
            db(
                d ->
                    DeferredSensors.instances(d, "d", "r", "wait").stream()
                        .allMatch(t -> t.state() == TaskInstanceState.SUCCESS)));

    db(
        d -> {
          TaskInstanceTries tries = new TaskInstanceTries(d);
          for (long id : ids) {
            assertThat(tries.history(id)).as("task instance " + id).hasSize(1);
          }
          assertThat(new TriggerRepository(d).count()).isZero();
          assertThat(new JobRepository(d).get(firstJob).orElseThrow().state())
              .isEqualTo(JobRepository.FAILED);
          return null;
        });
    assertThat(second.terminate(Duration.ofSeconds(30))).isZero();
    assertThat(second.output()).contains("Stopped.");
    List<TaskInstanceRow> all = db(d -> DeferredSensors.instances(d, "d", "r", "wait"));
    assertThat(all).hasSize(SENSORS);
  }
}
