package io.updraft.bench;

import io.updraft.scheduler.Backfills;
import io.updraft.scheduler.DagVersions;
import io.updraft.store.SerializedDagRepository;
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
import java.util.regex.Matcher;

/**
 * Issue 15's memory while working: {@code updraft standalone} (a child process through {@code
 * bin/updraft}, {@link ChildSite}) running the workloads while its resident memory is read
 * from {@code /proc} every 50 ms. Parts, each on a DAG of its own, in the order {@code all} runs
 * them in one child:
 *
 * <ul>
 *   <li>{@code shell}: {@code runs} runs of a chain of 3 {@code shell} tasks running {@code true},
 *       triggered through the child's API by 16 clients;
 *   <li>{@code empty}: the same with 3 {@code empty} tasks;
 *   <li>{@code backfill}: a backfill of {@code runs} hourly runs of 3 {@code shell true} tasks, as
 *       {@code dags backfill} creates it (from this process), executed by the child;
 *   <li>{@code custom}: {@code runs} runs of a Java DAG's trivial custom operator, at most 4 at a
 *       time ({@code max_active_runs}), so the tries run in the worker's warm operator JVMs.
 * </ul>
 *
 * Main figure: seconds from the first trigger to the last run's end. Extras, in MiB: {@code
 * rss_before_mb} (VmRSS when ready), {@code rss_max_mb} (the highest VmRSS sampled while working),
 * {@code peak_rss_mb} (VmHWM after the work: start-up included), {@code rss_settled_mb} (VmRSS 10 s
 * after the work, median of 5 samples); {@code operator_jvms_rss_mb}: the highest sum of VmRSS of
 * the child's Java child processes (the warm operator JVMs, counted apart from the standalone's)
 * and {@code operator_jvms}: the most of them at once.
 */
record WorkFootprintWorkload(String part, int runs, boolean smoke) implements Workload {
  static final List<String> PARTS = List.of("shell", "empty", "backfill", "custom");
  private static final Instant TRIGGER_FROM = Instant.parse("2025-01-01T00:00:00Z");

  /** The hourly backfilled DAG also gets its latest scheduled run (catchup off): not counted. */
  private static final String NOT_SCHEDULED = " AND run_type <> 'scheduled'";

  private static final Instant BACKFILL_FROM = Instant.parse("2024-02-01T00:00:00Z");

  WorkFootprintWorkload {
    if (!part.equals("all") && !PARTS.contains(part)) {
      throw new IllegalArgumentException("unknown part " + part);
    }
  }

  /** Each part alone in a child of its own, then all of them in one; smoke: all, 3 runs each. */
  static List<Workload> cases(boolean smoke) {
    if (smoke) {
      return List.of(new WorkFootprintWorkload("all", 3, true));
    }
    List<Workload> out = new ArrayList<>();
    PARTS.forEach(p -> out.add(new WorkFootprintWorkload(p, 300, false)));
    out.add(new WorkFootprintWorkload("all", 300, false));
    return out;
  }

  @Override
  public String scenario() {
    return "work-footprint";
  }

  @Override
  public String label() {
    return part + "-" + runs;
  }

  @Override
  public int runs() {
    return part.equals("all") ? runs * PARTS.size() : runs;
  }

  @Override
  public int tasks() {
    return 3;
  }

  @Override
  public int dags() {
    return parts().size();
  }

  private List<String> parts() {
    return part.equals("all") ? PARTS : List.of(part);
  }

  @Override
  public Sample run(BenchDatabases databases, Window window) throws Exception {
    Map<String, String> env = Map.of("UPDRAFT_CORE_DAGS_ARE_PAUSED_AT_CREATION", "false");
    try (ChildSite site = ChildSite.open(databases, env)) {
      for (String p : parts()) {
        writeDag(site.dags(), p);
      }
      ChildSite.Child child =
          site.start("sign in:", Duration.ofMinutes(smoke ? 2 : 10), "standalone", "--port", "0");
      Matcher api = BulkRunsWorkload.API.matcher(child.output().tail());
      if (!api.find()) {
        throw new IllegalStateException("standalone printed no API address: " + child.output());
      }
      String base = api.group(1);
      String password =
          Files.readString(site.home().resolve("standalone_admin_password.txt")).strip();
      for (String p : parts()) {
        site.await(
            "DAG " + p + " parsed",
            Duration.ofMinutes(2),
            () -> site.count("SELECT COUNT(*) FROM dag WHERE dag_id = '" + p + "'") == 1);
      }
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
      String token = BulkRunsWorkload.token(http, base, password);
      Sampler sampler = new Sampler(child.pid());
      window.open();
      long t0 = System.nanoTime();
      try {
        sampler.start();
        for (String p : parts()) {
          if (p.equals("backfill")) {
            Backfills.create(
                site.db(),
                new DagVersions(new SerializedDagRepository(site.db())).latest(p),
                BACKFILL_FROM,
                BACKFILL_FROM.plus(Duration.ofHours(runs - 1)),
                Instant.now());
          } else {
            BulkRunsWorkload.triggerAll(http, base, token, p, runs, TRIGGER_FROM);
          }
          site.await(
              runs + " runs of " + p + " finished",
              Duration.ofMinutes(smoke ? 2 : 20),
              () ->
                  site.count(
                          "SELECT COUNT(*) FROM dag_run WHERE dag_id = '"
                              + p
                              + "' AND state IN ('success', 'failed')"
                              + NOT_SCHEDULED)
                      == runs);
          long failed =
              site.count(
                  "SELECT COUNT(*) FROM dag_run WHERE dag_id = '"
                      + p
                      + "' AND state = 'failed'"
                      + NOT_SCHEDULED);
          if (failed > 0) {
            throw new IllegalStateException(failed + " runs of " + p + " failed");
          }
        }
      } finally {
        sampler.stop();
        window.close();
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      double peak = ProcStatus.peakRssMb(child.pid());
      Thread.sleep(smoke ? 200 : 10_000); // G1's periodic collection (5 s) gives the heap back
      List<Double> settled = new ArrayList<>();
      for (int i = 0; i < (smoke ? 2 : 5); i++) {
        settled.add(ProcStatus.rssMb(child.pid()));
        Thread.sleep(smoke ? 50 : 1_000);
      }
      Map<String, Double> extras = new HashMap<>(sampler.figures());
      extras.put("peak_rss_mb", peak);
      extras.put("rss_settled_mb", Result.median(settled));
      return new Sample(seconds, extras);
    }
  }

  /** The part's DAG, named after it, in the dags folder. */
  private void writeDag(Path dags, String p) throws IOException {
    if (p.equals("custom")) {
      Files.writeString(dags.resolve("Custom.java"), CUSTOM);
      return;
    }
    String operator = p.equals("empty") ? "empty" : "shell, command: \"true\"";
    StringBuilder y = new StringBuilder();
    y.append("dag_id: ").append(p).append('\n');
    y.append("schedule: ").append(p.equals("backfill") ? "\"@hourly\"" : "null").append('\n');
    y.append("start_date: 2024-01-01\ncatchup: false\nmax_active_runs: ").append(runs);
    y.append("\ntasks:\n");
    for (int i = 1; i <= 3; i++) {
      y.append("  - {task_id: t").append(i).append(", operator: ").append(operator);
      if (i > 1) {
        y.append(", upstream: [t").append(i - 1).append(']');
      }
      y.append("}\n");
    }
    Files.writeString(dags.resolve(p + ".yaml"), y.toString());
  }

  /** A Java DAG of a chain of 3 tries of a trivial custom operator, 4 runs at a time. */
  private static final String CUSTOM =
      """
      import io.updraft.dag.Dag;
      import io.updraft.sdk.*;
      import java.util.List;

      public class Custom implements DagSource {
        public static class Trivial implements Operator {
          public Object execute(TaskContext ctx) {
            ctx.log().println("loading " + ctx.args().get("table"));
            return ctx.args().get("table");
          }
        }

        public List<Dag> dags() {
          return List.of(Dags.dag("custom")
              .maxActiveRuns(4)
              .task(Tasks.custom("t1", Trivial.class).arg("table", "a_{{ ds_nodash }}"))
              .task(Tasks.custom("t2", Trivial.class).arg("table", "b").upstream("t1"))
              .task(Tasks.custom("t3", Trivial.class).arg("table", "c").upstream("t2"))
              .build());
        }
      }
      """;

  /**
   * Reads VmRSS of the standalone and of its Java child processes every 50 ms on a thread of its
   * own.
   */
  private static final class Sampler {
    private final long pid;
    private final Thread thread;
    private volatile boolean stopped;
    private double before;
    private double highest;
    private double operatorHighest;
    private int operatorJvms;
    private Exception failure;

    Sampler(long pid) throws IOException {
      this.pid = pid;
      this.before = ProcStatus.rssMb(pid);
      this.highest = before;
      this.thread = Thread.ofPlatform().daemon().name("rss-sampler").unstarted(this::loop);
    }

    void start() {
      thread.start();
    }

    private void loop() {
      try {
        while (!stopped) {
          sample();
          Thread.sleep(50);
        }
        sample();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IOException e) {
        failure = e;
      }
    }

    private void sample() throws IOException {
      highest = Math.max(highest, ProcStatus.rssMb(pid));
      double sum = 0;
      int n = 0;
      for (ProcessHandle h : ProcessHandle.of(pid).orElseThrow().children().toList()) {
        if (h.info().command().orElse("").endsWith("/java")) {
          try {
            sum += ProcStatus.rssMb(h.pid());
            n++;
          } catch (IOException e) {
            // it ended between the listing and the read
          }
        }
      }
      operatorHighest = Math.max(operatorHighest, sum);
      operatorJvms = Math.max(operatorJvms, n);
    }

    void stop() throws Exception {
      stopped = true;
      thread.join();
      if (failure != null) {
        throw failure;
      }
    }

    Map<String, Double> figures() {
      return Map.of(
          "rss_before_mb", before,
          "rss_max_mb", highest,
          "operator_jvms_rss_mb", operatorHighest,
          "operator_jvms", (double) operatorJvms);
    }
  }
}
