package io.updraft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.scheduler.DagVersions;
import io.updraft.scheduler.ManualRuns;
import io.updraft.state.DagRunState;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.DagRepository;
import io.updraft.store.DagRunRepository;
import io.updraft.store.JobRepository;
import io.updraft.store.JobRow;
import io.updraft.store.JobType;
import io.updraft.store.SerializedDagRepository;
import io.updraft.store.TaskInstanceQueueing;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import io.updraft.store.TaskInstanceTries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of a real scheduler JVM while a task runs, then a fresh scheduler: the lost try is found
 * by its stale heartbeat and retried, what the dead scheduler had queued is rescheduled at once,
 * and every run finishes. On the embedded H2 (the home's database, AUTO_SERVER) and PostgreSQL.
 */
abstract class CrashRecoveryTest extends HomeTestBase {
  private static final String DAG =
      """
      dag_id: crash
      schedule: null
      tasks:
        - task_id: slow
          operator: shell
          # r1's first try outlives the scheduler; everything else is quick.
          command: >-
            if [ {{ ti.try_number }} -eq 1 ] && [ {{ run_id }} = r1 ];
            then echo first; sleep 30; else echo second; fi
          retries: 1
          retry_delay: 1s
        - {task_id: after, operator: shell, command: "echo after", upstream: [slow]}
      """;

  /** Short timeouts so the test sees recovery in seconds; the queued timeout stays long. */
  private static final Map<String, String> ENV =
      Map.of(
          "UPDRAFT_SCHEDULER_TASK_INSTANCE_HEARTBEAT_TIMEOUT", "4s",
          "UPDRAFT_SCHEDULER_SCHEDULER_HEALTH_CHECK_THRESHOLD", "4s",
          "UPDRAFT_SCHEDULER_TASK_QUEUED_TIMEOUT", "10m",
          "UPDRAFT_CORE_DAGS_ARE_PAUSED_AT_CREATION", "false");

  CrashRecoveryTest() {
    super(ENV, Duration.ofSeconds(90));
  }

  @BeforeEach
  void folder() throws Exception {
    Files.writeString(site.dags().resolve("crash.yaml"), DAG);
    site.migrate();
  }

  private TaskInstanceRow ti(String runId, String taskId) {
    return db(
        db ->
            new TaskInstanceRepository(db)
                .listForRun("crash", runId).stream()
                    .filter(t -> t.taskId().equals(taskId))
                    .findFirst()
                    .orElseThrow());
  }

  @Test
  void afterKill9AndARestartTheLostTryIsRetriedAndQueuedWorkRescheduled() throws Exception {
    ChildJvm first = site.updraft("first", "scheduler");
    // Only once it serves the database: on H2 the first JVM to open the file serves it, and the
    // test must not be that JVM.
    await("the scheduler to start", first, () -> first.output().contains("is running"));
    await(
        "the DAG to be read", first, () -> db(d -> new DagRepository(d).get("crash").isPresent()));
    db(
        d -> {
          var latest = new DagVersions(new SerializedDagRepository(d)).latest("crash");
          Instant now = Instant.now();
          return ManualRuns.trigger(d, latest, now, "r1", null, now);
        });
    await(
        "slow's first try to run",
        first,
        () -> ti("r1", "slow").state() == TaskInstanceState.RUNNING);
    // The try's process is really running (its first line is in the log), not just marked so.
    await("slow's process to print", first, () -> logContains(logOf("r1", "slow", 1), "first"));
    long deadJob =
        db(d -> new JobRepository(d).aliveSince(JobType.SCHEDULER, Instant.EPOCH).get(0).id());

    first.kill();
    site.hold(); // on H2: takes over the file the dead JVM served

    // What the dead scheduler had queued but not started (its executor's queue died with it):
    // a second run whose first task it had queued.
    db(
        d -> {
          var latest = new DagVersions(new SerializedDagRepository(d)).latest("crash");
          Instant now = Instant.now();
          ManualRuns.trigger(d, latest, now.plusSeconds(1), "r2", null, now);
          d.runInTransaction(
              () -> {
                DagRunRepository runs = new DagRunRepository(d);
                runs.setState(
                    runs.get("crash", "r2").orElseThrow().id(),
                    DagRunState.QUEUED,
                    DagRunState.RUNNING,
                    now);
                TaskInstanceRepository tis = new TaskInstanceRepository(d);
                long slow =
                    tis.listForRun("crash", "r2").stream()
                        .filter(t -> t.taskId().equals("slow"))
                        .findFirst()
                        .orElseThrow()
                        .id();
                tis.setStates(
                    List.of(
                        new io.updraft.store.StateChange(
                            slow, TaskInstanceState.NONE, TaskInstanceState.SCHEDULED)),
                    now);
                new TaskInstanceQueueing(d).queue(List.of(slow), deadJob, now);
              });
          return null;
        });
    assertThat(ti("r2", "slow").state()).isEqualTo(TaskInstanceState.QUEUED);

    ChildJvm second = site.updraft("second", "scheduler");
    await(
        "both runs to finish",
        second,
        () ->
            db(
                d -> {
                  DagRunRepository runs = new DagRunRepository(d);
                  return runs.get("crash", "r1").orElseThrow().state().isFinished()
                      && runs.get("crash", "r2").orElseThrow().state().isFinished();
                }));

    db(
        d -> {
          DagRunRepository runs = new DagRunRepository(d);
          TaskInstanceRepository tis = new TaskInstanceRepository(d);
          assertThat(runs.get("crash", "r1").orElseThrow().state()).isEqualTo(DagRunState.SUCCESS);
          assertThat(runs.get("crash", "r2").orElseThrow().state()).isEqualTo(DagRunState.SUCCESS);
          TaskInstanceRow slow = ti("r1", "slow");
          assertThat(slow.tryNumber()).as("the lost try, then the retry").isEqualTo(2);
          assertThat(new TaskInstanceTries(d).history(slow.id()))
              .extracting(TaskInstanceTries.Try::state)
              .containsExactly(TaskInstanceState.UP_FOR_RETRY, TaskInstanceState.SUCCESS);
          assertThat(ti("r2", "slow").tryNumber())
              .as("the queued one ran once, on the survivor")
              .isEqualTo(1);
          JobRow dead = new JobRepository(d).get(deadJob).orElseThrow();
          assertThat(dead.state()).isEqualTo(JobRepository.FAILED);
          return null;
        });
    assertThat(Files.readString(logOf("r1", "slow", 2))).contains("second");
  }

  private static boolean logContains(Path log, String text) {
    try {
      return Files.exists(log) && Files.readString(log).contains(text);
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private Path logOf(String runId, String taskId, int attempt) {
    return home.resolve(
        "logs/dag_id=crash/run_id="
            + runId
            + "/task_id="
            + taskId
            + "/attempt="
            + attempt
            + ".log");
  }
}
