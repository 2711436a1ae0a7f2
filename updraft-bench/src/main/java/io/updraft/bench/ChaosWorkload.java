package io.updraft.bench;

import io.updraft.chaos.ChaosDag;
import io.updraft.chaos.ChaosVerdict;
import io.updraft.chaos.FailedRuns;
import io.updraft.scheduler.DagActions;
import io.updraft.store.Pool;
import io.updraft.store.PoolRepository;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import io.updraft.store.TaskInstanceTries;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Issue 14's chaos, at length: two schedulers, one API server and two workers ({@code updraft}
 * child processes through the real CLI, as {@link ScalingWorkload} starts them) on one fresh
 * database; {@code runs} runs of the {@link ChaosDag} — 8 tasks in a pool of {@value #POOL_SLOTS}
 * slots napping 0.1–0.3 s, one outside it that outlives the heartbeat timeout, one after them all,
 * retries 6 (the long one {@value #LONG_RETRIES}) — are triggered at once (16 active at a time);
 * every 2–4 s a component is killed with {@code kill -9} and started again — first each of the five
 * once, in a seeded order, then ones picked at random — until every run has finished. A component
 * that stopped by itself (a scheduler another took for dead) is started again, as a service manager
 * would.
 *
 * <p>Main figure: trigger to every run finished. Extras: {@code kills}, {@code seed} ({@code
 * -Dchaos.seed=N} replays the order of kills) and the {@link ChaosVerdict}'s counts: {@code
 * overlaps} (two tries of a task instance at one instant), {@code pool_max} (most pooled processes
 * at once; above {@value #POOL_SLOTS} is a violation), {@code still_running}, {@code unended},
 * {@code runs_not_success}, {@code left_running_queued}, {@code untraced}, {@code violations} (all
 * of them) — each violation is also printed — and {@code task_processes}, {@code retried}, {@code
 * long_tries_per_run}.
 */
record ChaosWorkload(int runs) implements Workload {
  static final int POOL_SLOTS = 3;
  private static final int POOLED_TASKS = 8;

  /** Retries of the pooled tasks and {@code last}. */
  private static final int RETRIES = 6;

  /**
   * Retries of {@code long}: each of its tries outlives several kills' intervals, and about half of
   * them are ended by a kill of their worker or of the API server; 21 tries make a run that fails
   * by bad luck alone improbable over a whole run of the scenario (decisions/0185).
   */
  private static final int LONG_RETRIES = 20;

  private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(6);
  private static final Instant BASE = Instant.parse("2024-01-01T00:00:00Z");

  @Override
  public String scenario() {
    return "chaos";
  }

  @Override
  public String label() {
    return runs * tasks() + "-tis";
  }

  @Override
  public int runs() {
    return runs;
  }

  @Override
  public int tasks() {
    return POOLED_TASKS + 2;
  }

  @Override
  public int dags() {
    return 1;
  }

  /** Every run starts its own processes. */
  @Override
  public boolean warmsUp() {
    return false;
  }

  @Override
  public Sample run(BenchDatabases databases, Window window) throws Exception {
    long seed = Long.getLong("chaos.seed", new Random().nextInt(1_000_000));
    Random random = new Random(seed);
    String timeout = HEARTBEAT_TIMEOUT.toSeconds() + "s";
    Map<String, String> env =
        Map.of(
            "UPDRAFT_CORE_DAGS_ARE_PAUSED_AT_CREATION", "false",
            "UPDRAFT_CORE_EXECUTOR", "remote",
            "UPDRAFT_SCHEDULER_TASK_INSTANCE_HEARTBEAT_TIMEOUT", timeout,
            "UPDRAFT_SCHEDULER_SCHEDULER_HEALTH_CHECK_THRESHOLD", timeout,
            "UPDRAFT_SCHEDULER_SHUTDOWN_GRACE", "2s");
    try (ChildSite site = ChildSite.open(databases, env)) {
      Path traces = site.scratch("traces").resolve("traces.log");
      ChaosDag dag =
          new ChaosDag(
              traces, POOLED_TASKS, "0.$((RANDOM % 3 + 1))", "8", RETRIES, LONG_RETRIES, 16);
      Files.writeString(site.dags().resolve(ChaosDag.DAG_ID + ".yaml"), dag.yaml());
      new PoolRepository(site.db()).add(new Pool(ChaosDag.POOL, POOL_SLOTS, "chaos bench", false));
      // Generous: five JVMs and a CLI start side by side, on a machine that may be loaded.
      Duration ready = Duration.ofMinutes(6);
      int port = freePort();
      String base = "http://127.0.0.1:" + port;
      Map<String, Launcher> components = new LinkedHashMap<>();
      components.put(
          "api-server",
          () ->
              site.launch(
                  site.home(),
                  Map.of(),
                  ScalingWorkload.API_READY,
                  "api-server",
                  "--port",
                  "" + port));
      for (String s : List.of("scheduler-1", "scheduler-2")) {
        components.put(
            s,
            () -> site.launch(site.home(), Map.of(), SensorScenarios.SCHEDULER_READY, "scheduler"));
      }
      Map<String, ChildSite.Child> alive = new LinkedHashMap<>();
      alive.put("api-server", components.get("api-server").launch());
      ScalingWorkload.createWorkerUser(site, ready);
      alive.get("api-server").output().awaitLine(ready);
      String token = ScalingWorkload.token(base);
      for (String w : List.of("worker-1", "worker-2")) {
        Path home = site.scratch(w);
        components.put(
            w,
            () ->
                site.launch(
                    home,
                    Map.of(
                        "UPDRAFT_WORKER_TOKEN",
                        token,
                        "UPDRAFT_SCHEDULER_TASK_INSTANCE_HEARTBEAT_TIMEOUT",
                        timeout),
                    ScalingWorkload.WORKER_READY,
                    "worker",
                    "--api-url",
                    base,
                    "--concurrency",
                    "16"));
      }
      for (String name : components.keySet()) {
        if (!alive.containsKey(name)) {
          alive.put(name, components.get(name).launch());
        }
      }
      for (ChildSite.Child c : alive.values()) {
        c.output().awaitLine(ready);
      }
      site.await(
          "the DAG stored",
          ready,
          () ->
              site.count(
                      "SELECT COUNT(*) FROM serialized_dag WHERE dag_id = '"
                          + ChaosDag.DAG_ID
                          + "'")
                  > 0);

      long t0 = System.nanoTime();
      window.open();
      Map<String, Integer> kills = new LinkedHashMap<>();
      try {
        Instant now = Instant.now();
        for (int i = 0; i < runs; i++) {
          DagActions.trigger(
              site.db(), ChaosDag.DAG_ID, BASE.plusSeconds(i), "r" + i, null, "bench", now);
        }
        List<String> names = List.copyOf(components.keySet());
        List<String> firsts = new ArrayList<>(names);
        Collections.shuffle(firsts, random);
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (!firsts.isEmpty() || !finished(site)) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException(label() + ": the runs did not finish in 30 minutes");
          }
          Thread.sleep(2000 + random.nextInt(2000));
          String victim =
              firsts.isEmpty() ? names.get(random.nextInt(names.size())) : firsts.removeFirst();
          alive.get(victim).process().destroyForcibly(); // bin/updraft execs java: kill -9
          alive.get(victim).process().waitFor();
          kills.merge(victim, 1, Integer::sum);
          alive.put(victim, components.get(victim).launch());
          for (String name : names) {
            if (!alive.get(name).process().isAlive()) {
              kills.merge(name + " (exited)", 1, Integer::sum);
              alive.put(name, components.get(name).launch());
            }
          }
        }
      } finally {
        window.close();
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      Thread.sleep(1000); // a try's end is recorded before its process writes its end line
      ChaosVerdict v = ChaosVerdict.judge(site.db(), traces, POOL_SLOTS);
      System.err.println(
          "chaos " + label() + " seed " + seed + ": " + v.summary() + "; kills " + kills);
      v.violations().forEach(line -> System.err.println("chaos violation: " + line));
      if (!v.violations().isEmpty()) {
        explainOverlaps(site, v);
        keep(site, traces, seed);
      }
      if (!v.runsNotSuccess().isEmpty()) {
        FailedRuns.explain(site.db(), traces, site.home().resolve("logs"))
            .forEach(block -> System.err.println("chaos failed: " + block));
      }
      Map<String, Double> extras = new HashMap<>();
      extras.put("seed", (double) seed);
      extras.put("kills", (double) kills.values().stream().mapToInt(Integer::intValue).sum());
      extras.put("overlaps", (double) v.overlaps().size());
      extras.put("pool_max", (double) v.poolMax());
      extras.put("still_running", (double) v.stillRunning().size());
      extras.put("unended", (double) v.unended().size());
      extras.put("runs_not_success", (double) v.runsNotSuccess().size());
      extras.put("left_running_queued", (double) v.leftRunningOrQueued().size());
      extras.put("untraced", (double) v.untraced().size());
      extras.put("violations", (double) v.violations().size());
      extras.put("task_processes", (double) v.processes());
      extras.put("retried", (double) v.retried());
      // How often a try of the long task was ended by the chaos: what its retries are sized by.
      extras.put(
          "long_tries_per_run",
          io.updraft.chaos.TryTraces.read(traces).spans().stream()
                  .filter(s -> s.taskId().equals("long"))
                  .count()
              / (double) runs);
      return new Sample(seconds, extras);
    }
  }

  /**
   * For each task instance that ran two tries at once: its tries as recorded, and every line of the
   * components' outputs that names it (by run and task, or by its row id).
   */
  private static void explainOverlaps(ChildSite site, ChaosVerdict v) throws IOException {
    TaskInstanceRepository repo = new TaskInstanceRepository(site.db());
    TaskInstanceTries tries = new TaskInstanceTries(site.db());
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (String overlap : v.overlaps()) {
      String[] f = overlap.split(" ");
      if (!seen.add(f[0] + " " + f[1])) {
        continue;
      }
      for (TaskInstanceRow ti : repo.listForRun(ChaosDag.DAG_ID, f[0])) {
        if (!ti.taskId().equals(f[1])) {
          continue;
        }
        System.err.println("chaos overlap " + f[0] + " " + f[1] + ": " + tries.all(ti));
        String byId = "task instance " + ti.id();
        try (var files = Files.list(site.outputs())) {
          for (Path out : files.sorted().toList()) {
            for (String line : Files.readAllLines(out)) {
              if (line.contains(byId) || (line.contains(f[0]) && line.contains(f[1]))) {
                System.err.println("  " + out.getFileName() + ": " + line);
              }
            }
          }
        }
      }
    }
  }

  /** The components' outputs and the traces, kept in {@code target/chaos-SEED} for a look after. */
  private static void keep(ChildSite site, Path traces, long seed) throws IOException {
    Path to = Files.createDirectories(Path.of("target", "chaos-" + seed));
    try (var files = Files.list(site.outputs())) {
      for (Path out : files.toList()) {
        Files.copy(out, to.resolve(out.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Files.copy(traces, to.resolve("traces.log"), StandardCopyOption.REPLACE_EXISTING);
    System.err.println(
        "chaos: the components' outputs and the traces are in " + to.toAbsolutePath());
  }

  /** Starts one component again under its name. */
  @FunctionalInterface
  private interface Launcher {
    ChildSite.Child launch() throws IOException;
  }

  private boolean finished(ChildSite site) {
    try {
      return site.count(
              "SELECT COUNT(*) FROM dag_run WHERE dag_id = '"
                  + ChaosDag.DAG_ID
                  + "' AND state IN ('success', 'failed')")
          >= runs;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
