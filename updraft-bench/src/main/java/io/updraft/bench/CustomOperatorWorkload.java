package io.updraft.bench;

import io.updraft.dag.Dag;
import io.updraft.sdk.Dags;
import io.updraft.sdk.Operator;
import io.updraft.sdk.TaskContext;
import io.updraft.sdk.Tasks;
import io.updraft.state.TaskInstanceState;
import io.updraft.worker.OperatorJvmSettings;
import io.updraft.worker.RunnerSettings;
import io.updraft.worker.TaskRunner;
import io.updraft.worker.TryOutcome;
import io.updraft.worker.TryRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.ToolProvider;

/**
 * A trivial custom operator's try through the worker's task runner — template, log file, outcome —
 * in a warm JVM of its bundle (decisions/0140; issue 15's target: ≤ 20 ms), beside the same try in
 * a JVM started for it (the cold path), in one run. Main figure: the warm tries' median, in
 * seconds. Extras: {@code warm_p50_ms}, {@code warm_p99_ms}, {@code cold_p50_ms}, {@code
 * cold_p99_ms}, {@code cold_over_warm}; CPU per warm try of the worker ({@code worker_cpu_ms}) and
 * of the warm JVM ({@code jvm_cpu_ms}); the warm JVM's resident memory after the tries ({@code
 * jvm_rss_mb}), and the part of it that is its own ({@code jvm_rss_anon_mb}: not the JDK's files,
 * which warm JVMs share). {@code loaderPerTry}: a new class loader per try (the default) or one per
 * JVM.
 */
record CustomOperatorWorkload(int warmTries, int coldTries, boolean loaderPerTry)
    implements Workload {

  private static final Instant LOGICAL = Instant.parse("2024-01-01T00:00:00Z");

  private static final String SOURCE =
      """
      package bench;

      import io.updraft.sdk.Operator;
      import io.updraft.sdk.TaskContext;

      public class Trivial implements Operator {
        public Object execute(TaskContext ctx) {
          ctx.log().println("loading " + ctx.args().get("table"));
          return ctx.args().get("table");
        }
      }
      """;

  @Override
  public String scenario() {
    return "custom-operator";
  }

  @Override
  public String label() {
    return (loaderPerTry ? "loader-per-try" : "loader-per-jvm") + "-" + warmTries;
  }

  @Override
  public int tasks() {
    return 1;
  }

  @Override
  public int dags() {
    return 1;
  }

  @Override
  public Sample run(BenchDatabases databases, Window window) throws Exception {
    Path dir = Files.createTempDirectory("updraft-bench-custom-");
    try {
      Path jar = jar(dir.resolve("bundle"));
      String hash = sha256(jar);
      Dag dag =
          Dags.dag("bench_custom")
              .task(Tasks.custom("t", Trivial.class).arg("table", "orders_{{ ds_nodash }}"))
              .build();
      // the builder names the operator by the class given; the try runs the bundle's class
      Dag pinned = pin(dag, "bench.Trivial@" + hash);
      RunnerSettings base = RunnerSettings.defaults().withTempRoot(dir.resolve("tmp"));
      Path logs = dir.resolve("logs");
      try (TaskRunner warm =
              new TaskRunner(
                  base.withOperatorJvms(
                      new OperatorJvmSettings(true, Duration.ofMinutes(10), 1, loaderPerTry)));
          TaskRunner cold =
              new TaskRunner(base.withOperatorJvms(OperatorJvmSettings.coldPerTry()))) {
        int[] n = {0};
        Try warmTry = () -> check(warm.run(request(pinned, jar, logs, ++n[0])));
        Try coldTry = () -> check(cold.run(request(pinned, jar, logs, ++n[0])));
        for (int i = 0; i < Math.min(warmTries, 200); i++) {
          warmTry.run();
        }
        coldTry.run();
        long jvm = warm.idleOperatorJvms().getFirst();
        long self = ProcessHandle.current().pid();
        long[] warmNs = new long[warmTries];
        long[] coldNs = new long[coldTries];
        double selfCpu = 0;
        double jvmCpu = 0;
        int coldEvery = Math.max(1, warmTries / Math.max(1, coldTries));
        int c = 0;
        window.open();
        try {
          for (int i = 0; i < warmTries; i++) {
            double s0 = ProcStatus.cpuSeconds(self);
            double j0 = ProcStatus.cpuSeconds(jvm);
            long t0 = System.nanoTime();
            warmTry.run();
            warmNs[i] = System.nanoTime() - t0;
            selfCpu += ProcStatus.cpuSeconds(self) - s0;
            jvmCpu += ProcStatus.cpuSeconds(jvm) - j0;
            if ((i + 1) % coldEvery == 0 && c < coldTries) {
              long t1 = System.nanoTime();
              coldTry.run();
              coldNs[c++] = System.nanoTime() - t1;
            }
          }
          while (c < coldTries) {
            long t1 = System.nanoTime();
            coldTry.run();
            coldNs[c++] = System.nanoTime() - t1;
          }
        } finally {
          window.close();
        }
        if (!warm.idleOperatorJvms().equals(List.of(jvm))) {
          throw new IllegalStateException("the warm tries did not all run in JVM " + jvm);
        }
        double warmP50 = percentile(warmNs, 50);
        double coldP50 = percentile(coldNs, 50);
        return new Sample(
            warmP50 / 1000,
            Map.of(
                "warm_p50_ms",
                warmP50,
                "warm_p99_ms",
                percentile(warmNs, 99),
                "cold_p50_ms",
                coldP50,
                "cold_p99_ms",
                percentile(coldNs, 99),
                "cold_over_warm",
                coldP50 / warmP50,
                "worker_cpu_ms",
                selfCpu * 1000 / warmTries,
                "jvm_cpu_ms",
                jvmCpu * 1000 / warmTries,
                "jvm_rss_mb",
                ProcStatus.rssMb(jvm),
                "jvm_rss_anon_mb",
                ProcStatus.rssAnonMb(jvm)));
      }
    } finally {
      io.updraft.util.Folders.deleteQuietly(dir);
    }
  }

  /** Stands for the bundle's class when the DAG is built; never loaded as an operator. */
  public static final class Trivial implements Operator {
    @Override
    public Object execute(TaskContext ctx) {
      return null;
    }
  }

  private interface Try {
    void run() throws Exception;
  }

  private static Dag pin(Dag dag, String operator) {
    io.updraft.dag.Task t = dag.tasks().getFirst();
    io.updraft.dag.Task pinned = t.withOperator(operator);
    return dag.withTasks(List.of(pinned));
  }

  private static TryRequest request(Dag dag, Path jar, Path logs, int tryNumber) {
    return TryRequest.builder(dag, "t", "bench", LOGICAL, logs)
        .tryNumber(tryNumber)
        .bundles(h -> jar)
        .build();
  }

  private static void check(TryOutcome o) {
    if (o.state() != TaskInstanceState.SUCCESS || !"orders_20240101".equals(o.returnValue())) {
      throw new IllegalStateException(
          "the bench task failed: " + o.error() + " (returned " + o.returnValue() + ")");
    }
  }

  /** The p-th percentile, in milliseconds (nearest rank). */
  private static double percentile(long[] ns, int p) {
    long[] sorted = ns.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(rank, sorted.length - 1))] / 1e6;
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  /** Compiles the trivial operator against this class path into a jar. */
  private static Path jar(Path dir) throws IOException {
    Path src = Files.createDirectories(dir.resolve("src/bench")).resolve("Trivial.java");
    Files.writeString(src, SOURCE);
    Path classes = Files.createDirectories(dir.resolve("classes"));
    int rc =
        ToolProvider.getSystemJavaCompiler()
            .run(
                null,
                null,
                null,
                "-d",
                classes.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                src.toString());
    if (rc != 0) {
      throw new IllegalStateException("the bench operator does not compile");
    }
    Path jar = dir.resolve("bundle.jar");
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream j = new JarOutputStream(out);
        Stream<Path> files = Files.walk(classes)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        j.putNextEntry(new JarEntry(classes.relativize(f).toString()));
        j.write(Files.readAllBytes(f));
        j.closeEntry();
      }
    }
    return jar;
  }
}
