package io.updraft.bench;

import io.updraft.bench.SchedulerHarness.ExecutorKind;
import io.updraft.scheduler.DagActions;
import io.updraft.store.DagRunRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Issue 15's in-JVM tasks: {@code runs} workflows of a 3-task chain {@code t1 → t2 → t3}, submitted
 * at once to a running scheduler — each through {@link DagActions#trigger}, the code the API and
 * {@code dags trigger} run, from {@value #CLIENTS} client threads — and timed from submit to the
 * run's end date (written by the scheduler). Tasks are {@code empty} (finished by the scheduler, as
 * Airflow's EmptyOperator) or {@code http} (a GET to a {@link PingServer} in this JVM, run by the
 * local executor at the default {@code core.parallelism}).
 *
 * <p>The DAG's {@code max_active_runs} is {@code runs}, so the DAG's own limit does not ration the
 * burst (Airflow's default of 16 would: then the figure says how fast 16 runs at a time go). Main
 * figure: last end − first submit; extras {@code workflows_per_s} and {@code p50_ms}/{@code p99_ms}
 * (nearest rank) of submit-to-done per workflow.
 */
record InlineChainsWorkload(String operator, String weightRule, int runs) implements Workload {
  /** Client threads submitting the runs: a handful, as API clients would be. */
  static final int CLIENTS = 4;

  private static final Instant BASE = Instant.parse("2024-01-01T00:00:00Z");

  InlineChainsWorkload {
    if (!operator.equals("empty") && !operator.equals("http")) {
      throw new IllegalArgumentException("operator must be empty or http: " + operator);
    }
    if (!weightRule.equals("downstream") && !weightRule.equals("upstream")) {
      throw new IllegalArgumentException(
          "weight rule must be downstream or upstream: " + weightRule);
    }
  }

  /** The chains with Airflow's default priority weights ({@code downstream}). */
  InlineChainsWorkload(String operator, int runs) {
    this(operator, "downstream", runs);
  }

  @Override
  public String scenario() {
    return "inline-chains";
  }

  @Override
  public String label() {
    return operator + "-" + runs + "x3" + (weightRule.equals("downstream") ? "" : "-" + weightRule);
  }

  @Override
  public int runs() {
    return runs;
  }

  @Override
  public int tasks() {
    return 3;
  }

  @Override
  public int dags() {
    return 1;
  }

  @Override
  public boolean reportsThroughput() {
    return true;
  }

  /**
   * The chains keep the JIT busy for a minute or two (pgjdbc, the HTTP client and server, the
   * executor; each run's setup queues compilations too, and one C2 thread works them off on two
   * cores): measured runs come after it has settled, as they would on a server up a while.
   */
  @Override
  public int maxWarmUps() {
    return runs < 100 ? 1 : 60;
  }

  @Override
  public Sample run(BenchDatabases databases, Window window) throws Exception {
    try (BenchDatabases.Fresh fresh = databases.fresh();
        PingServer server = PingServer.start()) {
      Database db = fresh.database();
      Path dags = fresh.folder().resolve("dags");
      Files.createDirectories(dags);
      Files.writeString(dags.resolve("chain.yaml"), dagYaml(server.url()));
      SchedulerHarness.loadDags(db, dags);
      try (SchedulerHarness harness =
          new SchedulerHarness(db, ExecutorKind.LOCAL, fresh.folder().resolve("logs"))) {
        harness.start();
        if (maxWarmUps() > 1) {
          // the setup's own compilations (migration, parse) done before the clock starts
          BenchRunner.awaitJitQuiet(100, 5_000);
        }
        Map<String, Instant> submitted;
        long cpu = cpuNanos();
        long submitNanos;
        long[] commits = db.groupCommitCounts();
        Passes passes = Passes.now();
        long jit = BenchRunner.compileMillis();
        Map<Long, Double> pg = PgBackends.cpu(db);
        window.open();
        try {
          long t0 = System.nanoTime();
          submitted = submit(db);
          submitNanos = System.nanoTime() - t0;
          harness.awaitAllFinished(Duration.ofMinutes(5));
        } finally {
          window.close();
        }
        cpu = cpuNanos() - cpu;
        jit = BenchRunner.compileMillis() - jit;
        double pgSeconds = PgBackends.delta(pg, PgBackends.cpu(db));
        long[] commitsAfter = db.groupCommitCounts();
        Passes passesAfter = Passes.now();
        Sample s = sample(harness, db, submitted);
        Map<String, Double> extras = new java.util.HashMap<>(s.extras());
        extras.put("submit_s", submitNanos / 1e9);
        extras.put("jvm_cpu_ms_per_wf", cpu / 1e6 / runs);
        // The JIT compiling meanwhile (summed over its threads): near 0 once warm, as a server is.
        extras.put("jit_ms", (double) jit);
        if (pgSeconds > 0) {
          extras.put("pg_cpu_ms_per_wf", pgSeconds * 1000 / runs);
        }
        // How well group commit groups: the units (trigger, try start, try end) per commit.
        extras.put(
            "units_per_group_commit",
            (commitsAfter[1] - commits[1]) / (double) Math.max(1, commitsAfter[0] - commits[0]));
        // And how many commits that took: each is a chunk written on H2, a WAL flush on PostgreSQL.
        extras.put("group_commits_per_wf", (commitsAfter[0] - commits[0]) / (double) runs);
        // The scheduler loop's passes: how many, how long, and their share of the run's time (one
        // thread: near 1 means the runs waited for the loop).
        long passCount = passesAfter.count() - passes.count();
        double passNanos = passesAfter.nanos() - passes.nanos();
        extras.put("passes_per_wf", passCount / (double) runs);
        extras.put("pass_ms", passCount == 0 ? 0 : passNanos / 1e6 / passCount);
        extras.put("loop_busy", passNanos / 1e9 / s.seconds());
        return new Sample(s.seconds(), extras);
      }
    }
  }

  /** The scheduler loop's passes so far, from its timer. */
  private record Passes(long count, double nanos) {
    static Passes now() {
      io.micrometer.core.instrument.Timer t = io.updraft.metrics.SchedulerMetrics.loopTimer();
      return new Passes(t.count(), t.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS));
    }
  }

  /** CPU time of this JVM so far: the scheduler, the executor, the clients and H2 alike. */
  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private String dagYaml(String url) {
    StringBuilder y = new StringBuilder();
    y.append("dag_id: chain\nschedule: null\nmax_active_runs: ").append(runs).append('\n');
    y.append("default_args: {retries: 0, weight_rule: ").append(weightRule).append("}\ntasks:\n");
    for (int i = 1; i <= 3; i++) {
      y.append("  - {task_id: t").append(i).append(", operator: ").append(operator);
      if (operator.equals("http")) {
        y.append(", url: \"").append(url).append('"');
      }
      if (i > 1) {
        y.append(", upstream: [t").append(i - 1).append(']');
      }
      y.append("}\n");
    }
    return y.toString();
  }

  /** Triggers every run from the client pool; returns each run's submit instant by run_id. */
  private Map<String, Instant> submit(Database db) throws Exception {
    Clock clock = Clock.systemUTC();
    Map<String, Instant> submitted = new ConcurrentHashMap<>();
    try (ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
      List<Future<?>> calls = new ArrayList<>(runs);
      for (int i = 0; i < runs; i++) {
        Instant logical = BASE.plusSeconds(i);
        calls.add(
            clients.submit(
                () -> {
                  Instant at = clock.instant();
                  String runId =
                      DagActions.trigger(db, "chain", logical, null, null, "bench", at).runId();
                  submitted.put(runId, at);
                }));
      }
      for (Future<?> f : calls) {
        f.get();
      }
    }
    return submitted;
  }

  private Sample sample(SchedulerHarness harness, Database db, Map<String, Instant> submitted) {
    int failed = harness.unsuccessfulRuns();
    int succeeded = harness.successfulTaskInstances();
    if (failed > 0 || succeeded != runs * 3) {
      throw new IllegalStateException(
          label()
              + ": "
              + failed
              + " run(s) did not succeed and "
              + succeeded
              + " of "
              + runs * 3
              + " task instances did — the task logs say why");
    }
    Instant first = submitted.values().stream().min(Instant::compareTo).orElseThrow();
    Instant last = first;
    List<Double> latencies = new ArrayList<>(runs);
    for (DagRunRow run : new DagRunRepository(db).list("chain", runs)) {
      Instant end = run.endDate();
      last = end.isAfter(last) ? end : last;
      latencies.add(Duration.between(submitted.get(run.runId()), end).toNanos() / 1e6);
    }
    latencies.sort(null);
    double seconds = Duration.between(first, last).toNanos() / 1e9;
    return new Sample(
        seconds,
        Map.of(
            "workflows_per_s", runs / seconds,
            "p50_ms", TaskLag.percentile(latencies, 50),
            "p99_ms", TaskLag.percentile(latencies, 99)));
  }
}
