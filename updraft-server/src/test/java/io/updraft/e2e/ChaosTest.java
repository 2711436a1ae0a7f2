package io.updraft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.api.Role;
import io.updraft.api.UserAccounts;
import io.updraft.scheduler.DagVersions;
import io.updraft.scheduler.ManualRuns;
import io.updraft.state.DagRunState;
import io.updraft.state.TaskInstanceState;
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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Chaos, as the trusted systems test it (issue 14): two schedulers, one API server and two remote
 * workers on one database; runs of a DAG whose tasks share a pool of 3 slots and have retries;
 * every few seconds a component picked at random (seeded: {@code -Dchaos.seed=N} replays one) is
 * killed with {@code kill -9} and started again. Judged from the tasks' own traces ({@link
 * TryTraces}), not from Updraft's tables: no task instance ran two tries at one instant, the pool
 * never held more than 3, no task process is left running; and, read at the end, every run
 * succeeded and nothing is left queued or running.
 */
abstract class ChaosTest extends HomeTestBase {
  private static final int RUNS = 8;
  private static final int POOLED_TASKS = 8;
  private static final int POOL_SLOTS = 3;
  private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(6);
  private static final Duration CHAOS = Duration.ofSeconds(30);
  private static final Duration BOUND = Duration.ofSeconds(240);

  private static final Map<String, String> ENV =
      Map.of(
          "UPDRAFT_CORE_EXECUTOR", "remote",
          "UPDRAFT_CORE_DAGS_ARE_PAUSED_AT_CREATION", "false",
          "UPDRAFT_SCHEDULER_TASK_INSTANCE_HEARTBEAT_TIMEOUT", HEARTBEAT_TIMEOUT.toSeconds() + "s",
          "UPDRAFT_SCHEDULER_SCHEDULER_HEALTH_CHECK_THRESHOLD", "6s",
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

  /**
   * Per run: {@value #POOLED_TASKS} short tasks in the pool, a long one outside it that outlives
   * the heartbeat timeout (a killed worker's orphan would still run when its retry starts), and a
   * last task downstream of them all.
   */
  private static String dag(Path traces) {
    StringBuilder yaml =
        new StringBuilder(
            """
            dag_id: chaos
            schedule: null
            max_active_runs: 16
            default_args:
              retries: 4
              retry_delay: 1s
            tasks:
            """);
    List<String> all = new ArrayList<>();
    for (int i = 1; i <= POOLED_TASKS + 1; i++) {
      boolean pooled = i <= POOLED_TASKS;
      String id = pooled ? "pooled_" + i : "long";
      all.add(id);
      yaml.append("  - task_id: ").append(id).append('\n');
      yaml.append("    operator: shell\n");
      if (pooled) {
        yaml.append("    pool: chaos\n");
      }
      yaml.append("    command: |\n");
      String nap = pooled ? "0.$((RANDOM % 3 + 1))" : "10";
      for (String line : TryTraces.command(traces, nap).split("\n")) {
        yaml.append("      ").append(line).append('\n');
      }
    }
    yaml.append("  - task_id: last\n    operator: shell\n    command: |\n");
    for (String line : TryTraces.command(traces, "0").split("\n")) {
      yaml.append("      ").append(line).append('\n');
    }
    yaml.append("    upstream: [").append(String.join(", ", all)).append("]\n");
    return yaml.toString();
  }

  @Test
  void killsAtRandomLoseNothingRunNothingTwiceAndOverfillNoPool() throws Exception {
    // Opt-in until the claim-to-spawn window is fenced (BENCHMARKS.md, Chaos): it takes minutes,
    // and on a loaded machine a late spawn can still overlap its retry.
    boolean wanted = "1".equals(System.getenv("UPDRAFT_CHAOS_TESTS"));
    if (!wanted) {
      System.out.println("ChaosTest skipped: set UPDRAFT_CHAOS_TESTS=1 to run it");
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(wanted, "UPDRAFT_CHAOS_TESTS=1 runs it");
    long seed = Long.getLong("chaos.seed", System.nanoTime());
    System.out.println("ChaosTest seed " + seed + " (-Dchaos.seed=" + seed + " replays it)");
    Random random = new Random(seed);
    Path traces = site.home().resolve("traces.log");
    Files.writeString(site.dags().resolve("chaos.yaml"), dag(traces));
    site.migrate();
    db(d -> new PoolRepository(d).add(new Pool("chaos", POOL_SLOTS, "chaos test", false)));
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
      String token = token(url);
      for (String w : List.of("worker-1", "worker-2")) {
        starters.put(w, () -> worker(w, url, token));
      }
      starters.keySet().stream().filter(n -> !alive.containsKey(n)).toList().forEach(this::start);
      ChildJvm first = alive.get("scheduler-1");
      await(
          "the DAG to be read",
          first,
          () -> db(d -> new DagRepository(d).get("chaos").isPresent()));
      db(
          d -> {
            var latest = new DagVersions(new SerializedDagRepository(d)).latest("chaos");
            Instant now = Instant.now();
            for (int r = 1; r <= RUNS; r++) {
              ManualRuns.trigger(d, latest, now.plusSeconds(r), "r" + r, null, now);
            }
            return null;
          });

      long triggered = System.nanoTime();
      // Chaos: a kill -9 every 2–4 s, the component started again at once.
      long chaosEnd = System.nanoTime() + CHAOS.toNanos();
      List<String> names = List.copyOf(starters.keySet());
      while (System.nanoTime() < chaosEnd && !allFinished()) {
        Thread.sleep(2000 + random.nextInt(2000));
        String victim = names.get(random.nextInt(names.size()));
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

      List<DagRunRow> runs = db(d -> new DagRunRepository(d).list("chaos", 1000));
      assertThat(runs).hasSize(RUNS);
      assertThat(runs).extracting(DagRunRow::state).containsOnly(DagRunState.SUCCESS);
      List<TaskInstanceRow> tis =
          db(
              d ->
                  runs.stream()
                      .flatMap(
                          r ->
                              new TaskInstanceRepository(d).listForRun("chaos", r.runId()).stream())
                      .toList());
      assertThat(tis).hasSize(RUNS * (POOLED_TASKS + 2));
      assertThat(tis).extracting(TaskInstanceRow::state).containsOnly(TaskInstanceState.SUCCESS);

      TryTraces t = TryTraces.read(traces);
      long retried = tis.stream().filter(ti -> ti.tryNumber() > 1).count();
      System.out.println(
          "ChaosTest: "
              + t.spans().size()
              + " task processes, "
              + retried
              + " task instances retried, kills "
              + restarts);
      if (!t.overlaps().isEmpty()) {
        System.out.println("ChaosTest overlaps:\n" + String.join("\n", t.overlaps()));
        for (TaskInstanceRow ti : tis) {
          if (t.overlaps().stream()
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
      assertThat(t.overlaps()).as("tries of one task instance running at once").isEmpty();
      assertThat(t.maxConcurrent("pooled_"))
          .as("task processes of the pool of %d at one instant", POOL_SLOTS)
          .isLessThanOrEqualTo(POOL_SLOTS);
      assertThat(t.stillRunning()).as("task processes still running").isEmpty();
      assertThat(t.unended()).as("task processes that ended without their end line").isEmpty();
      // Every successful try has its process's trace.
      for (TaskInstanceRow ti : tis) {
        assertThat(t.spans())
            .as("the trace of %s %s try %d", ti.runId(), ti.taskId(), ti.tryNumber())
            .anyMatch(
                s ->
                    s.runId().equals(ti.runId())
                        && s.taskId().equals(ti.taskId())
                        && s.tryNumber() == ti.tryNumber());
      }
    } finally {
      everyWorker.forEach(ChildJvm::close);
      keep(seed);
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
      List<DagRunRow> runs = db(d -> new DagRunRepository(d).list("chaos", 1000));
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

  private static String token(String url) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url + "/auth/token"))
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"username\": \"w\", \"password\": \"worker-password\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return new ObjectMapper().readTree(r.body()).get("access_token").asText();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
