package io.updraft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.scheduler.DagVersions;
import io.updraft.scheduler.ManualRuns;
import io.updraft.state.DagRunState;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.DagRepository;
import io.updraft.store.DagRunRepository;
import io.updraft.store.Database;
import io.updraft.store.DatabaseConfig;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a real scheduler JVM while a task runs, then a fresh scheduler: the lost try is found
 * by its stale heartbeat and retried, what the dead scheduler had queued is rescheduled at once,
 * and every run finishes. On the embedded H2 (the home's database, AUTO_SERVER) and PostgreSQL.
 */
abstract class CrashRecoveryTest {
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

  @TempDir Path home;
  private Path dags;
  private final List<ChildJvm> processes = new ArrayList<>();

  /** The database URL to use, or null for the home's embedded H2. */
  abstract String dbUrl();

  /** A database of its own for the test, if the engine needs one made. */
  void createDatabase() throws Exception {}

  /** Drops what {@link #createDatabase} made, once every process is gone. */
  void dropDatabase() throws Exception {}

  private String url() {
    return dbUrl() != null ? dbUrl() : DatabaseConfig.defaultUrl(home);
  }

  @BeforeEach
  void folder() throws Exception {
    createDatabase();
    dags = Files.createDirectories(home.resolve("dags"));
    Files.writeString(dags.resolve("crash.yaml"), DAG);
    try (Database db = Database.open(url())) {
      db.migrate();
    }
  }

  @AfterEach
  void reap() throws Exception {
    for (ChildJvm p : processes) {
      p.close();
    }
    if (held != null) {
      held.close();
    }
    dropDatabase();
  }

  private ChildJvm scheduler(String name) {
    List<String> args =
        new ArrayList<>(List.of("--home", home.toString(), "--dags-folder", dags.toString()));
    if (dbUrl() != null) {
      args.addAll(List.of("--db-url", dbUrl()));
    }
    args.add("scheduler");
    ChildJvm p = ChildJvm.updraft(name, home, ENV, args);
    processes.add(p);
    return p;
  }

  /** Set after the crash: the test's own connection, held open to the end. */
  private Database held;

  /**
   * The database for one look. Before the crash each look opens and closes a connection (on H2 it
   * goes through the scheduler JVM serving the file); after it, one held connection, so the test
   * does not keep taking the H2 file over while the next scheduler tries to open it.
   */
  private <T> T db(Function<Database, T> work) {
    if (held != null) {
      return work.apply(held);
    }
    try (Database db = Database.open(url())) {
      return work.apply(db);
    }
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

  private static void await(String what, ChildJvm p, java.util.function.BooleanSupplier ok) {
    Await.until(
        what,
        Duration.ofSeconds(90),
        () -> {
          try {
            return ok.getAsBoolean();
          } catch (RuntimeException e) {
            return false; // the database may be between owners (H2 after a crash): look again
          }
        },
        p::describe);
  }

  @Test
  void afterKill9AndARestartTheLostTryIsRetriedAndQueuedWorkRescheduled() throws Exception {
    ChildJvm first = scheduler("first");
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
    held = Database.open(url()); // on H2: takes over the file the dead JVM served

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

    ChildJvm second = scheduler("second");
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
