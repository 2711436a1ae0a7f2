package io.updraft.e2e.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.updraft.e2e.Await;
import io.updraft.e2e.ChildJvm;
import io.updraft.state.DagRunState;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.DagRunRow;
import io.updraft.store.JobRepository;
import io.updraft.store.TaskInstanceRow;
import io.updraft.store.TaskInstanceTries;
import io.updraft.store.TestBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code updraft scheduler} processes on one PostgreSQL or MySQL database, each with its own
 * home (its own task logs, like two machines), both syncing the same dags folder.
 *
 * <p>First batch: three runs of a 20-task DAG (60 task instances; 8 per run in a pool of 2 slots).
 * Every task instance must run exactly once (try 1, one history row, one log file, one start
 * reported by the task's own process), both schedulers must take part, and the pool must never have
 * had more than 2 tries running at once — measured from the tasks' own start and end times.
 *
 * <p>Second batch: one scheduler is killed with SIGKILL while it runs tasks. The survivor must
 * finish everything: the dead one's running tries retried after their heartbeat timeout, what it
 * had queued rescheduled, every other task instance run exactly once, and the pool still respected.
 */
class ClusterTest {
  private static final Duration DEADLINE = Duration.ofSeconds(90);
  private static final int LAYERS = 4;
  private static final int TASKS_PER_LAYER = 5;
  private static final int POOLED_PER_LAYER = 2;
  private static final String POOLED = "_pool";

  @TempDir Path root;

  @Test
  void postgres() throws Exception {
    Installation.onScratchDatabase(TestBackend.postgres(), this::twoSchedulers);
  }

  @Test
  void mariadb() throws Exception {
    Installation.onScratchDatabase(TestBackend.mysql(), this::twoSchedulers);
  }

  private void twoSchedulers(String dbUrl) {
    Installation updraft = Installation.quickToRecover(root, dbUrl, 6);
    Path eventsFile = root.resolve("events.log");
    updraft.writeDag("cluster.yaml", dag(eventsFile));
    updraft.cli("db", "migrate");
    updraft.cli("pools", "set", "two", "2");
    Metadata db = updraft.metadata();
    List<Path> logRoots = List.of(root.resolve("a/logs"), root.resolve("b/logs"));

    try (ChildJvm a = updraft.scheduler("a", root.resolve("a"));
        ChildJvm b = updraft.scheduler("b", root.resolve("b"))) {
      long jobA = a.schedulerJobId();
      long jobB = b.schedulerJobId();

      // First batch: both alive.
      List<String> first = trigger(updraft, "one", 3, null);
      awaitFinished(db, first, a, b);
      List<TaskInstanceRow> firstTis = tis(db, first);
      assertThat(db.runs("cluster")).extracting(DagRunRow::state).containsOnly(DagRunState.SUCCESS);
      assertThat(firstTis).hasSize(first.size() * LAYERS * TASKS_PER_LAYER);
      assertThat(firstTis)
          .as("every task instance ran once")
          .extracting(TaskInstanceRow::state, TaskInstanceRow::tryNumber)
          .containsOnly(tuple(TaskInstanceState.SUCCESS, 1));
      assertThat(firstTis)
          .as("both schedulers ran tasks")
          .extracting(TaskInstanceRow::pid)
          .contains((int) a.pid(), (int) b.pid());
      assertRanOnce(db, firstTis, logRoots, eventsFile, ti -> 1);
      assertThat(TaskEvents.read(eventsFile).maxConcurrent(POOLED, Long.MAX_VALUE))
          .as("tries running at once in the pool of 2")
          .isEqualTo(2);

      // Second batch: b dies while it runs some of it.
      List<String> second = trigger(updraft, "two", 2, "{\"nap\": \"0.5\"}");
      Await.until(
          "b to run a task of the second batch",
          DEADLINE,
          () ->
              tis(db, second).stream()
                  .anyMatch(
                      ti -> ti.state() == TaskInstanceState.RUNNING && ti.pid() == (int) b.pid()),
          b::describe);
      b.kill();
      long killedAt = nanos(Instant.now());
      // b is dead and a needs seconds to notice: these rows are what b left.
      List<TaskInstanceRow> atKill = tis(db, second);
      Set<Long> wasRunning =
          ids(atKill, ti -> ti.state() == TaskInstanceState.RUNNING && ti.pid() == (int) b.pid());
      Set<Long> wasQueued =
          ids(
              atKill,
              ti ->
                  ti.state() == TaskInstanceState.QUEUED
                      && Long.valueOf(jobB).equals(ti.queuedByJobId()));
      assertThat(wasRunning).isNotEmpty();

      awaitFinished(db, second, a, b);
      List<TaskInstanceRow> secondTis = tis(db, second);
      assertThat(db.runs("cluster")).extracting(DagRunRow::state).containsOnly(DagRunState.SUCCESS);
      assertThat(secondTis)
          .extracting(TaskInstanceRow::state)
          .containsOnly(TaskInstanceState.SUCCESS);
      for (TaskInstanceRow ti : secondTis) {
        boolean retried = wasRunning.contains(ti.id());
        assertThat(db.history(ti.id()))
            .as(
                "tries of %s in %s (queued by b at the kill: %s)",
                ti.taskId(), ti.runId(), wasQueued.contains(ti.id()))
            .extracting(TaskInstanceTries.Try::tryNumber, TaskInstanceTries.Try::state)
            .containsExactlyElementsOf(
                retried
                    ? List.of(
                        tuple(1, TaskInstanceState.UP_FOR_RETRY),
                        tuple(2, TaskInstanceState.SUCCESS))
                    : List.of(tuple(1, TaskInstanceState.SUCCESS)));
      }
      assertThat(secondTis)
          .filteredOn(ti -> wasRunning.contains(ti.id()) || wasQueued.contains(ti.id()))
          .as("what b had running or queued was finished by a")
          .extracting(TaskInstanceRow::pid)
          .containsOnly((int) a.pid());
      // b may have died between marking a try running and starting its process: try 1 of what it
      // was running may have left no trace outside the database.
      assertRanOnce(
          db, secondTis, logRoots, eventsFile, ti -> wasRunning.contains(ti.id()) ? 2 : 1);
      assertThat(TaskEvents.read(eventsFile).maxConcurrent(POOLED, killedAt))
          .as("tries running at once in the pool of 2, across the crash")
          .isLessThanOrEqualTo(2);
      assertThat(db.job(jobB).state()).isEqualTo(JobRepository.FAILED);
      assertThat(db.job(jobA).state()).isEqualTo(JobRepository.RUNNING);
      assertThat(a.output()).contains("taken for dead");
    }
  }

  /**
   * Each try of the task instances ran exactly once: one history row per try, and, from try {@code
   * firstTry} on, one start reported by the task's process and one log file, across both machines'
   * logs.
   */
  private static void assertRanOnce(
      Metadata db,
      List<TaskInstanceRow> tis,
      List<Path> logRoots,
      Path eventsFile,
      ToIntFunction<TaskInstanceRow> firstTry) {
    Map<String, Integer> starts = TaskEvents.read(eventsFile).startsPerTry();
    Map<String, Integer> logs = logFiles(logRoots);
    for (TaskInstanceRow ti : tis) {
      for (int t = firstTry.applyAsInt(ti); t <= ti.tryNumber(); t++) {
        String key = ti.runId() + " " + ti.taskId() + " " + t;
        assertThat(starts.get(key)).as("starts of try %s", key).isEqualTo(1);
        assertThat(logs.get(key)).as("log files of try %s", key).isEqualTo(1);
      }
      assertThat(db.history(ti.id())).hasSize(ti.tryNumber());
    }
  }

  /** {@code run task try} → how many log files of that try the machines hold. */
  private static Map<String, Integer> logFiles(List<Path> logRoots) {
    Map<String, Integer> counts = new HashMap<>();
    for (Path logs : logRoots) {
      if (!Files.isDirectory(logs)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(logs)) {
        files
            .filter(p -> p.getFileName().toString().startsWith("attempt="))
            .forEach(
                p -> {
                  String attempt = p.getFileName().toString().replaceAll("\\D", "");
                  String task =
                      p.getParent().getFileName().toString().substring("task_id=".length());
                  String run =
                      p.getParent()
                          .getParent()
                          .getFileName()
                          .toString()
                          .substring("run_id=".length());
                  counts.merge(run + " " + task + " " + attempt, 1, Integer::sum);
                });
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return counts;
  }

  private static List<String> trigger(Installation updraft, String batch, int runs, String conf) {
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= runs; i++) {
      String runId = batch + "-" + i;
      List<String> args = new ArrayList<>(List.of("dags", "trigger", "cluster", "--run-id", runId));
      if (conf != null) {
        args.addAll(List.of("--conf", conf));
      }
      updraft.cli(args.toArray(String[]::new));
      ids.add(runId);
    }
    return ids;
  }

  private static void awaitFinished(Metadata db, List<String> runIds, ChildJvm a, ChildJvm b) {
    Await.until(
        "runs " + runIds + " to finish",
        DEADLINE,
        () ->
            db.runs("cluster").stream()
                    .filter(r -> runIds.contains(r.runId()))
                    .filter(r -> r.state().isFinished())
                    .count()
                == runIds.size(),
        () -> a.describe() + "\n" + b.describe());
  }

  private static List<TaskInstanceRow> tis(Metadata db, List<String> runIds) {
    return db.taskInstances("cluster").stream().filter(ti -> runIds.contains(ti.runId())).toList();
  }

  private static Set<Long> ids(List<TaskInstanceRow> tis, Predicate<TaskInstanceRow> which) {
    return tis.stream().filter(which).map(TaskInstanceRow::id).collect(Collectors.toSet());
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  /**
   * Layers of 5 tasks, each task downstream of the whole layer before; 2 tasks per layer in the
   * pool {@code two}. Each task reports its start and end and naps {@code params.nap} seconds.
   */
  private static String dag(Path events) {
    StringBuilder yaml =
        new StringBuilder(
            """
            dag_id: cluster
            schedule: null
            params: {nap: "0.2"}
            default_args:
              retries: 1
              retry_delay: 1s
            tasks:
            """);
    List<String> previous = List.of();
    for (int layer = 1; layer <= LAYERS; layer++) {
      List<String> current = new ArrayList<>();
      for (int i = 1; i <= TASKS_PER_LAYER; i++) {
        boolean pooled = i <= POOLED_PER_LAYER;
        String id = "l" + layer + (pooled ? POOLED : "_task") + i;
        current.add(id);
        yaml.append("  - task_id: ").append(id).append('\n');
        yaml.append("    operator: shell\n");
        if (pooled) {
          yaml.append("    pool: two\n");
        }
        if (!previous.isEmpty()) {
          yaml.append("    upstream: [").append(String.join(", ", previous)).append("]\n");
        }
        yaml.append("    command: |\n");
        yaml.append("      ").append(TaskEvents.shell(events, "start")).append('\n');
        yaml.append("      sleep {{ params.nap }}\n");
        yaml.append("      ").append(TaskEvents.shell(events, "end")).append('\n');
      }
      previous = current;
    }
    return yaml.toString();
  }
}
