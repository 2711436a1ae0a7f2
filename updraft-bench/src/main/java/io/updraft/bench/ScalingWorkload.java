package io.updraft.bench;

import io.updraft.scheduler.DagActions;
import io.updraft.store.Database;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 14's scaling figures: an installation of {@code updraft} child processes started through
 * the real CLI on one fresh database — one {@code api-server}, {@code schedulers} schedulers with
 * {@code core.executor: remote} and {@code workers} {@code updraft worker}s (each {@value
 * #WORKER_CONCURRENCY} slots, a home folder of its own) — or, for the {@code local} baseline, one
 * scheduler with {@code core.executor: local} and nothing else. {@code runs} runs of a DAG of
 * {@code tasks} independent tasks are triggered at once from {@value #CLIENTS} client threads
 * (after {@link #warmRuns} warm-up runs, so the JVMs' first classes load outside the figure).
 *
 * <p>Main figure: last task end − first task queued, over the measured runs' task instances; TI/s
 * is {@code runs × tasks} over it. Tasks are {@code http} — a GET to a {@link PingServer} in this
 * JVM, run inside the worker's JVM — so the figure is what Updraft's own path (queue, claim, start,
 * heartbeat, log shipping, end) costs, not process starts; or {@code shell true}, a process per try
 * as most real tasks are, bounded by what the machine can fork (LIMITS.md).
 *
 * <p>Extras, CPU milliseconds per task instance over the measured window ({@code /proc}, user +
 * system): {@code sched_cpu_ms_per_ti} (all schedulers), {@code api_cpu_ms_per_ti}, {@code
 * worker_cpu_ms_per_ti} (all workers, with the processes they ran and waited for), {@code
 * pg_cpu_ms_per_ti} (the PostgreSQL backends of this database; 0 on H2, inside the processes),
 * {@code bench_cpu_ms_per_ti} (this JVM: clients, ping server, polling); {@code cores_used} (all of
 * it over the window's wall time) and {@code load1} (the load average as the window opened).
 */
record ScalingWorkload(
    boolean remote, int schedulers, int workers, String operator, int runs, int tasks)
    implements Workload {
  static final int WORKER_CONCURRENCY = 16;

  /** Per scheduler: above the workers' slots (4 × 16), so it is not what limits. */
  static final int PARALLELISM = 64;

  private static final int CLIENTS = 4;
  private static final int WARM_RUNS_MIN = 2;
  private static final String DAG = "scale";
  private static final Instant BASE = Instant.parse("2024-01-01T00:00:00Z");
  private static final Pattern API = Pattern.compile("running on (http://\\S+?)/api/v2");
  static final String API_READY = "Updraft API server is running";
  static final String WORKER_READY = "Updraft worker is running";
  private static final String WORKER_PASSWORD = "bench-worker-password";

  ScalingWorkload {
    if (!operator.equals("http") && !operator.equals("shell")) {
      throw new IllegalArgumentException("operator must be http or shell: " + operator);
    }
    if (remote ? schedulers < 1 || workers < 1 : schedulers != 1 || workers != 0) {
      throw new IllegalArgumentException(
          "remote needs schedulers and workers; local is one scheduler and no worker");
    }
  }

  /** One scheduler with the local executor. */
  static ScalingWorkload local(String operator, int runs, int tasks) {
    return new ScalingWorkload(false, 1, 0, operator, runs, tasks);
  }

  /** Runs before the measured ones: a tenth of them, at least {@value #WARM_RUNS_MIN}. */
  int warmRuns() {
    return Math.max(WARM_RUNS_MIN, runs / 10);
  }

  @Override
  public String scenario() {
    return "scaling";
  }

  @Override
  public String label() {
    String shape = remote ? "s" + schedulers + "-w" + workers : "local";
    return shape + "-" + operator;
  }

  @Override
  public int runs() {
    return runs;
  }

  @Override
  public int tasks() {
    return tasks;
  }

  @Override
  public int dags() {
    return 1;
  }

  @Override
  public boolean reportsThroughput() {
    return true;
  }

  /** Every run starts its own JVMs and warms them with {@link #warmRuns} runs. */
  @Override
  public boolean warmsUp() {
    return false;
  }

  @Override
  public Sample run(BenchDatabases databases, Window window) throws Exception {
    Map<String, String> env =
        Map.of(
            "UPDRAFT_CORE_DAGS_ARE_PAUSED_AT_CREATION",
            "false",
            "UPDRAFT_CORE_EXECUTOR",
            remote ? "remote" : "local",
            "UPDRAFT_CORE_PARALLELISM",
            Integer.toString(PARALLELISM));
    try (PingServer ping = PingServer.start();
        ChildSite site = ChildSite.open(databases, env)) {
      Files.writeString(site.dags().resolve(DAG + ".yaml"), dagYaml(ping.url()));
      Duration ready = Duration.ofMinutes(3);
      List<Long> schedulerPids = new ArrayList<>();
      List<Long> workerPids = new ArrayList<>();
      List<ChildSite.Child> scheds = new ArrayList<>();
      for (int i = 0; i < schedulers; i++) {
        scheds.add(
            site.launch(site.home(), Map.of(), SensorScenarios.SCHEDULER_READY, "scheduler"));
      }
      long apiPid = 0;
      if (remote) {
        ChildSite.Child api =
            site.launch(site.home(), Map.of(), API_READY, "api-server", "--port", "0");
        createWorkerUser(site, ready);
        api.output().awaitLine(ready);
        apiPid = api.pid();
        Matcher m = API.matcher(api.output().tail());
        if (!m.find()) {
          throw new IllegalStateException(
              "the API server printed no address: " + api.output().tail());
        }
        String base = m.group(1);
        String token = token(base);
        List<ChildSite.Child> ws = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
          Path home = site.scratch("worker-" + i);
          ws.add(
              site.launch(
                  home,
                  Map.of("UPDRAFT_WORKER_TOKEN", token),
                  WORKER_READY,
                  "worker",
                  "--api-url",
                  base,
                  "--concurrency",
                  Integer.toString(WORKER_CONCURRENCY)));
        }
        for (ChildSite.Child w : ws) {
          w.output().awaitLine(ready);
          workerPids.add(w.pid());
        }
      }
      for (ChildSite.Child s : scheds) {
        s.output().awaitLine(ready);
        schedulerPids.add(s.pid());
      }
      Database db = site.db();
      site.await(
          "the DAG stored",
          ready,
          () -> site.count("SELECT COUNT(*) FROM serialized_dag WHERE dag_id = '" + DAG + "'") > 0);

      trigger(db, "warm_", warmRuns());
      awaitRuns(site, warmRuns());

      double load1 = load1();
      Cpu before = cpu(db, apiPid, schedulerPids, workerPids);
      long t0 = System.nanoTime();
      window.open();
      try {
        trigger(db, "m_", runs);
        awaitRuns(site, warmRuns() + runs);
      } finally {
        window.close();
      }
      double wall = (System.nanoTime() - t0) / 1e9;
      Cpu after = cpu(db, apiPid, schedulerPids, workerPids);

      long done =
          site.count(
              "SELECT COUNT(*) FROM task_instance WHERE dag_id = '"
                  + DAG
                  + "' AND run_id LIKE 'm\\_%' AND state = 'success'");
      if (done != (long) runs * tasks) {
        throw new IllegalStateException(
            label() + ": " + done + " of " + runs * tasks + " task instances succeeded");
      }
      Instant first =
          site.instant(
                  "SELECT MIN(queued_dttm) AS d FROM task_instance WHERE dag_id = ? AND run_id"
                      + " LIKE 'm\\_%'",
                  "d", DAG)
              .orElseThrow();
      Instant last =
          site.instant(
                  "SELECT MAX(end_date) AS d FROM task_instance WHERE dag_id = ? AND run_id LIKE"
                      + " 'm\\_%'",
                  "d", DAG)
              .orElseThrow();
      double seconds = Duration.between(first, last).toNanos() / 1e9;
      double tis = (double) runs * tasks;
      Map<String, Double> extras = new HashMap<>();
      extras.put("sched_cpu_ms_per_ti", (after.schedulers - before.schedulers) * 1000 / tis);
      extras.put("api_cpu_ms_per_ti", (after.api - before.api) * 1000 / tis);
      extras.put("worker_cpu_ms_per_ti", (after.workers - before.workers) * 1000 / tis);
      extras.put("pg_cpu_ms_per_ti", pgDelta(before, after) * 1000 / tis);
      extras.put("bench_cpu_ms_per_ti", (after.bench - before.bench) * 1000 / tis);
      extras.put("cores_used", (after.own() - before.own() + pgDelta(before, after)) / wall);
      extras.put("load1", load1);
      return new Sample(seconds, extras);
    }
  }

  private String dagYaml(String url) {
    StringBuilder y = new StringBuilder();
    y.append("dag_id: ").append(DAG).append("\nschedule: null\n");
    y.append("max_active_runs: ").append(runs + warmRuns()).append('\n');
    y.append("max_active_tasks: ").append(tasks).append('\n');
    y.append("default_args: {retries: 0}\ntasks:\n");
    for (int i = 1; i <= tasks; i++) {
      y.append("  - {task_id: t").append(i);
      if (operator.equals("http")) {
        y.append(", operator: http, url: \"").append(url).append('"');
      } else {
        y.append(", operator: shell, command: \"true\"");
      }
      y.append("}\n");
    }
    return y.toString();
  }

  /** Triggers {@code n} runs {@code prefix0..} from the client threads, as API clients would. */
  private static void trigger(Database db, String prefix, int n) throws Exception {
    Instant now = Instant.now();
    try (ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
      List<Future<?>> calls = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        Instant logical = BASE.plusSeconds(prefix.equals("m_") ? 1000 + i : i);
        String runId = prefix + i;
        calls.add(
            clients.submit(() -> DagActions.trigger(db, DAG, logical, runId, null, "bench", now)));
      }
      for (Future<?> f : calls) {
        f.get();
      }
    }
  }

  private static void awaitRuns(ChildSite site, int n) throws InterruptedException {
    // Every 250 ms, not 20: each check is a query on the measured database's CPU, and the figure
    // comes from the task instances' dates, not from when the bench sees the end.
    site.await(
        n + " runs finished",
        Duration.ofMinutes(10),
        Duration.ofMillis(250),
        () ->
            site.count(
                    "SELECT COUNT(*) FROM dag_run WHERE dag_id = '"
                        + DAG
                        + "' AND state IN ('success', 'failed')")
                >= n);
  }

  /** The user the workers sign in as (role worker), made through {@code updraft users create}. */
  static void createWorkerUser(ChildSite site, Duration timeout) throws Exception {
    site.runWithInput(
        timeout,
        WORKER_PASSWORD + "\n",
        "users",
        "create",
        "bench-workers",
        "--role",
        "worker",
        "--password-stdin");
  }

  /** A worker token from the API server at {@code base}, for the user {@link #createWorkerUser}. */
  static String token(String base) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    return BulkRunsWorkload.token(http, base, "bench-workers", WORKER_PASSWORD);
  }

  /** CPU seconds so far of each component; PostgreSQL's by backend pid. */
  private record Cpu(
      double api, double schedulers, double workers, double bench, Map<Long, Double> pg) {
    /** Every component's but PostgreSQL's, whose backends come and go ({@link #pgDelta}). */
    double own() {
      return api + schedulers + workers + bench;
    }
  }

  private static Cpu cpu(Database db, long api, List<Long> schedulers, List<Long> workers)
      throws IOException {
    double s = 0;
    for (long pid : schedulers) {
      s += treeCpu(pid);
    }
    double w = 0;
    for (long pid : workers) {
      w += treeCpu(pid);
    }
    double a = api == 0 ? 0 : treeCpu(api);
    long self = ProcessHandle.current().pid();
    return new Cpu(a, s, w, ProcStatus.cpuSeconds(self), PgBackends.cpu(db));
  }

  /**
   * CPU seconds of a child and everything below it — {@code bin/updraft} is a script that starts
   * the JVM — with the processes each has waited for (a worker's {@code shell} tries). A process
   * that ends between two readings is missed unless its parent waited for it.
   */
  private static double treeCpu(long pid) throws IOException {
    double sum = ProcStatus.cpuSeconds(pid) + ProcStatus.childCpuSeconds(pid);
    for (ProcessHandle h :
        ProcessHandle.of(pid).map(p -> p.descendants().toList()).orElse(List.of())) {
      try {
        sum += ProcStatus.cpuSeconds(h.pid()) + ProcStatus.childCpuSeconds(h.pid());
      } catch (IOException | RuntimeException e) {
        // ended meanwhile: its parent's waited-for time has it
      }
    }
    return sum;
  }

  /** Backends there at the end, less what they had used at the start (0 for new ones). */
  private static double pgDelta(Cpu before, Cpu after) {
    return PgBackends.delta(before.pg, after.pg);
  }

  private static double load1() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
