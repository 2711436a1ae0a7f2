package io.updraft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.api.Role;
import io.updraft.api.UserAccounts;
import io.updraft.chaos.ChaosDag;
import io.updraft.chaos.ChaosVerdict;
import io.updraft.chaos.FailedRuns;
import io.updraft.scheduler.DagVersions;
import io.updraft.scheduler.ManualRuns;
import io.updraft.store.DagRepository;
import io.updraft.store.DagRunRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.Pool;
import io.updraft.store.PoolRepository;
import io.updraft.store.SerializedDagRepository;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import io.updraft.store.TaskInstanceTries;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Chaos, as the trusted systems test it (issue 14), short enough for the suite: two schedulers, one
 * API server and two remote workers on one database; runs of the {@link ChaosDag}, whose tasks
 * share a pool of 3 slots and have retries; every 2–3 s a component is killed with {@code kill -9}
 * and started again — first each of the five once, in a seeded order, then ones picked at random
 * ({@code -Dchaos.seed=N} replays a run). Judged by {@link ChaosVerdict}: from the tasks' own
 * traces, not from Updraft's tables, no task instance ran two tries at one instant, the pool never
 * held more than 3, no task process is left running; and, read at the end, every run succeeded and
 * nothing is left queued or running. The bench's {@code chaos} scenario is the long variant.
 */
abstract class ChaosTest extends HomeTestBase {
  private static final int RUNS = 6;
  private static final int POOL_SLOTS = 3;
  private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(6);
  private static final Duration CHAOS = Duration.ofSeconds(20);
  private static final Duration BOUND = Duration.ofSeconds(300);

  private static final Map<String, String> ENV =
      Map.of(
          "UPDRAFT_CORE_EXECUTOR", "remote",
          "UPDRAFT_CORE_DAGS_ARE_PAUSED_AT_CREATION", "false",
          "UPDRAFT_SCHEDULER_TASK_INSTANCE_HEARTBEAT_TIMEOUT", HEARTBEAT_TIMEOUT.toSeconds() + "s",
          "UPDRAFT_SCHEDULER_SCHEDULER_HEALTH_CHECK_THRESHOLD", HEARTBEAT_TIMEOUT.toSeconds() + "s",
          "UPDRAFT_SCHEDULER_SHUTDOWN_GRACE", "2s");

  /** The components, each started again under its name after a kill. */
  private final Map<String, Supplier<ChildJvm>> starters = new LinkedHashMap<>();

  private final Map<String, ChildJvm> alive = new LinkedHashMap<>();
  private final List<ChildJvm> everyWorker = new ArrayList<>();
  private final Map<String, Integer> restarts = new LinkedHashMap<>();
  private final Map<String, Integer> generation = new LinkedHashMap<>();

  ChaosTest() {
    super(ENV, BOUND);
  }

  @Test
  void killsAtRandomLoseNothingRunNothingTwiceAndOverfillNoPool() throws Exception {
    long began = System.nanoTime();
    long seed = Long.getLong("chaos.seed", System.nanoTime());
    System.out.println("ChaosTest seed " + seed + " (-Dchaos.seed=" + seed + " replays it)");
    Random random = new Random(seed);
    Path traces = site.home().resolve("traces.log");
    // 8 pooled tasks napping 0.4-0.8 s a run: the runs outlast the first five kills.
    ChaosDag dag = new ChaosDag(traces, 8, "0.$((RANDOM % 5 + 4))", "8", 6, 6, RUNS);
    Files.writeString(site.dags().resolve("chaos.yaml"), dag.yaml());
    site.migrate();
    db(d -> new PoolRepository(d).add(new Pool(ChaosDag.POOL, POOL_SLOTS, "chaos test", false)));
    db(
        d -> {
          new UserAccounts(d).create("w", Role.WORKER, "worker-password", "test", Instant.now());
          return null;
        });
    int port = freePort();
    String url = "http://127.0.0.1:" + port;

    starters.put(
        "api-server",
        () ->
            site.updraft(
                "api-server." + generation.get("api-server"), "api-server", "--port", "" + port));
    starters.put(
        "scheduler-1",
        () -> site.updraft("scheduler-1." + generation.get("scheduler-1"), "scheduler"));
    starters.put(
        "scheduler-2",
        () -> site.updraft("scheduler-2." + generation.get("scheduler-2"), "scheduler"));
    try {
      start("api-server").awaitOutput("API server is running", Duration.ofSeconds(90));
      String token = RemoteWorkersTest.token(url, "w", "worker-password");
      for (String w : List.of("worker-1", "worker-2")) {
        starters.put(w, () -> worker(w, url, token));
      }
      starters.keySet().stream().filter(n -> !alive.containsKey(n)).toList().forEach(this::start);
      ChildJvm first = alive.get("scheduler-1");
      await(
          "the DAG to be read",
          first,
          () -> db(d -> new DagRepository(d).get(ChaosDag.DAG_ID).isPresent()));
      db(
          d -> {
            var latest = new DagVersions(new SerializedDagRepository(d)).latest(ChaosDag.DAG_ID);
            Instant now = Instant.now();
            for (int r = 1; r <= RUNS; r++) {
              ManualRuns.trigger(d, latest, now.plusSeconds(r), "r" + r, null, now);
            }
            return null;
          });

      long triggered = System.nanoTime();
      // Chaos: a kill -9 every 2–3 s, the component started again at once; each one first.
      List<String> names = List.copyOf(starters.keySet());
      List<String> firsts = new ArrayList<>(names);
      Collections.shuffle(firsts, random);
      long chaosEnd = System.nanoTime() + CHAOS.toNanos();
      while (!firsts.isEmpty() || (System.nanoTime() < chaosEnd && !allFinished())) {
        Thread.sleep(2000 + random.nextInt(1000));
        String victim =
            firsts.isEmpty() ? names.get(random.nextInt(names.size())) : firsts.removeFirst();
        alive.remove(victim).kill();
        restarts.merge(victim, 1, Integer::sum);
        start(victim);
        superviseAll();
      }
      System.out.println(
          "ChaosTest kills: " + restarts + " in " + seconds(triggered) + " s after the trigger");

      Await.until(
          "every run to finish",
          BOUND,
          () -> {
            superviseAll();
            return allFinished();
          },
          () -> alive.values().stream().map(ChildJvm::describe).collect(Collectors.joining("\n")));
      System.out.println(
          "ChaosTest: every run finished " + seconds(triggered) + " s after the trigger");
      // Each try's end is recorded before its process's last line is written: let them finish.
      Thread.sleep(1000);

      ChaosVerdict verdict = db(d -> ChaosVerdict.judge(d, traces, POOL_SLOTS));
      System.out.println(
          "ChaosTest seed "
              + seed
              + ": "
              + verdict.summary()
              + "; kills "
              + restarts
              + "; "
              + seconds(began)
              + " s in all");
      if (!verdict.overlaps().isEmpty()) {
        explain(verdict);
      }
      if (!verdict.runsNotSuccess().isEmpty()) {
        db(d -> FailedRuns.explain(d, traces, site.home().resolve("logs")))
            .forEach(block -> System.out.println("ChaosTest failed: " + block));
      }
      assertThat(verdict.runs()).isEqualTo(RUNS);
      assertThat(verdict.taskInstances()).isEqualTo(RUNS * dag.tasksPerRun());
      assertThat(verdict.violations()).as("broken promises").isEmpty();
    } finally {
      everyWorker.forEach(ChildJvm::close);
      keep(seed);
    }
  }

  /** For each overlap: its task instance's tries as recorded, and what the components said. */
  private void explain(ChaosVerdict verdict) throws IOException {
    System.out.println("ChaosTest overlaps:\n" + String.join("\n", verdict.overlaps()));
    List<DagRunRow> runs = db(d -> new DagRunRepository(d).list(ChaosDag.DAG_ID, 1000));
    for (DagRunRow r : runs) {
      for (TaskInstanceRow ti :
          db(d -> new TaskInstanceRepository(d).listForRun(ChaosDag.DAG_ID, r.runId()))) {
        if (verdict.overlaps().stream()
            .anyMatch(o -> o.startsWith(ti.runId() + " " + ti.taskId() + " "))) {
          System.out.println(
              "ChaosTest history of "
                  + ti.runId()
                  + " "
                  + ti.taskId()
                  + ": "
                  + db(d -> new TaskInstanceTries(d).history(ti.id())));
          System.out.println(mentions(ti.runId(), ti.taskId()));
        }
      }
    }
  }

  /** Every component's output lines that name the task instance. */
  private String mentions(String runId, String taskId) throws IOException {
    StringBuilder b = new StringBuilder();
    try (var files = Files.list(site.home())) {
      for (Path f : files.filter(p -> p.toString().endsWith(".out")).sorted().toList()) {
        for (String line : Files.readAllLines(f)) {
          if (line.contains(taskId) && line.contains(runId)) {
            b.append(f.getFileName()).append(": ").append(line).append('\n');
          }
        }
      }
    }
    return b.toString();
  }

  /** The components' outputs and the traces, kept in target/chaos-SEED for a look afterwards. */
  private void keep(long seed) throws IOException {
    Path to = Files.createDirectories(Path.of("target", "chaos-" + seed));
    try (var files = Files.list(site.home())) {
      for (Path f :
          files
              .filter(p -> p.toString().endsWith(".out") || p.toString().endsWith(".log"))
              .toList()) {
        Files.copy(
            f, to.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  private static long seconds(long sinceNanos) {
    return (System.nanoTime() - sinceNanos) / 1_000_000_000L;
  }

  private boolean allFinished() {
    try {
      List<DagRunRow> runs = db(d -> new DagRunRepository(d).list(ChaosDag.DAG_ID, 1000));
      return runs.size() == RUNS && runs.stream().allMatch(r -> r.state().isFinished());
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * Starts again what exited by itself, as a service manager would: a scheduler another one took
   * for dead on this loaded machine stops itself.
   */
  private void superviseAll() {
    for (String name : List.copyOf(alive.keySet())) {
      if (!alive.get(name).isAlive()) {
        restarts.merge(name + " (exited)", 1, Integer::sum);
        start(name);
      }
    }
  }

  private ChildJvm start(String name) {
    generation.merge(name, 1, Integer::sum);
    ChildJvm p = starters.get(name).get();
    alive.put(name, p);
    return p;
  }

  /** {@code updraft worker} with a home of its own: only the API's URL and its token. */
  private ChildJvm worker(String name, String url, String token) {
    try {
      Path home = Files.createDirectories(site.home().resolve(name));
      ChildJvm w =
          ChildJvm.updraft(
              name + "." + generation.get(name),
              site.home(),
              Map.of(
                  "UPDRAFT_WORKER_TOKEN",
                  token,
                  "UPDRAFT_SCHEDULER_TASK_INSTANCE_HEARTBEAT_TIMEOUT",
                  HEARTBEAT_TIMEOUT.toSeconds() + "s",
                  "UPDRAFT_SCHEDULER_SHUTDOWN_GRACE",
                  "2s"),
              List.of(
                  "--home",
                  home.toString(),
                  "worker",
                  "--api-url",
                  url,
                  "--queues",
                  "default",
                  "--concurrency",
                  "6"));
      everyWorker.add(w);
      return w;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
