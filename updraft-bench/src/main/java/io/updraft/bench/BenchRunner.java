package io.updraft.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs each workload once to warm up (the JIT, the database's caches; not reported; unless it warms
 * up inside each run, {@link Workload#warmsUp}) — again, up to {@link Workload#maxWarmUps}, while
 * the JIT is still busy — and then {@code repeat} times measured, each run on a fresh database.
 */
final class BenchRunner {
  /** The JIT's compile time over a warm-up run's wall time below which it counts as settled. */
  static final double JIT_SETTLED = 0.15;

  private final BenchDatabases databases;
  private final int repeat;
  private final Window window;
  private final PrintStream progress;

  /**
   * @param window what opens around measured runs (a flight recording, or nothing)
   * @param progress where one line per run goes (stderr), so a long suite shows it is alive
   */
  BenchRunner(BenchDatabases databases, int repeat, Window window, PrintStream progress) {
    this.databases = databases;
    this.repeat = repeat;
    this.window = window;
    this.progress = progress;
  }

  List<Result> run(List<Workload> workloads) throws Exception {
    List<Result> results = new ArrayList<>();
    for (Workload w : workloads) {
      String name = w.scenario() + " " + w.label() + " on " + databases.kind().label();
      if (w.warmsUp()) {
        int settled = 0;
        for (int i = 1; i <= w.maxWarmUps() && settled < 2; i++) {
          long jit = compileMillis();
          long t0 = System.nanoTime();
          Sample warm = w.run(databases, Window.NONE);
          // A workload that reports the JIT's time in its measured part (jit_ms) is judged by that
          // part alone: its setup (a fresh database, the DAG's parse) compiles code it never times.
          Double windowJit = warm.extras().get("jit_ms");
          double jitShare =
              windowJit != null
                  ? windowJit / (warm.seconds() * 1000)
                  : (compileMillis() - jit) / ((System.nanoTime() - t0) / 1e6);
          progress.printf(
              "%s: warm-up %d %.3f s (JIT compiling %.0f %% of it)%n",
              name, i, warm.seconds(), 100 * jitShare);
          // twice in a row: one quiet run can fall between two batches of compilations
          settled = jitShare < JIT_SETTLED ? settled + 1 : 0;
        }
      }
      List<Sample> samples = new ArrayList<>(repeat);
      for (int i = 1; i <= repeat; i++) {
        Sample s = w.run(databases, window);
        progress.printf("%s: run %d/%d %.3f s%s%n", name, i, repeat, s.seconds(), extras(s));
        samples.add(s);
      }
      results.add(new Result(w, databases.kind(), samples));
    }
    return results;
  }

  /** The CPU time the JIT has used so far, over all its threads, in milliseconds. */
  static long compileMillis() {
    try {
      return Math.round(ProcStatus.compilerCpuSeconds() * 1000);
    } catch (IOException | RuntimeException notLinux) {
      // the JVM's own figure is elapsed time: a compiler thread waiting for a core counts too
      return java.lang.management.ManagementFactory.getCompilationMXBean()
          .getTotalCompilationTime();
    }
  }

  /**
   * Waits until the JIT has compiled nothing for {@code quietMillis} (at most {@code maxMillis}): a
   * run's setup (a fresh database's migration, the DAG's parse) queues compilations of code the
   * workload never runs, and a window opened right after it would time the JIT working them off
   * beside the workload, which a server that has been up a while does not do.
   */
  static void awaitJitQuiet(long quietMillis, long maxMillis) throws InterruptedException {
    long deadline = System.nanoTime() + maxMillis * 1_000_000;
    long last = compileMillis();
    long quietSince = System.nanoTime();
    while (System.nanoTime() < deadline) {
      Thread.sleep(20);
      long now = compileMillis();
      if (now != last) {
        last = now;
        quietSince = System.nanoTime();
      } else if (System.nanoTime() - quietSince >= quietMillis * 1_000_000) {
        return;
      }
    }
  }

  /** A sample's extra figures, for the progress line: a later failure then loses none of them. */
  private static String extras(Sample s) {
    StringBuilder b = new StringBuilder();
    new java.util.TreeMap<>(s.extras())
        .forEach(
            (k, v) ->
                b.append(' ')
                    .append(k)
                    .append('=')
                    .append(String.format(java.util.Locale.ROOT, "%.3g", v)));
    return b.toString();
  }
}
