package io.updraft.bench;

import io.updraft.bench.DagFiles.Shape;
import io.updraft.bench.SchedulerHarness.ExecutorKind;
import io.updraft.store.Database;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Issue 15's process tasks: {@code runs} runs of a chain of {@code tasks} {@code shell} tasks
 * running {@code true}, all created at once, run by the scheduler loop and the local executor with
 * the worker's task runner on the database — {@code standalone}'s path: templates, the try's log
 * file, heartbeats, state writes, XCom — at {@code core.parallelism}'s default of 32. The DAG's
 * {@code max_active_runs} is the number of runs, so every run starts at once; its {@code
 * max_active_tasks} (16 per run) does not matter for a chain, which has one task ready at a time.
 *
 * <p>In the same run, the baseline: a bare loop spawning the same number of {@code bash -c true}
 * processes ({@link ProcessBuilder#start}, then {@code waitFor}) from a pool of 32 platform
 * threads.
 *
 * <p>Main figure: Updraft's seconds from the scheduler's start to the last run's end. Extras:
 * {@code tasks_per_s} and {@code baseline_tasks_per_s}, their {@code ratio} (target ≥ 0.5), and the
 * CPU time of this JVM per task ({@code jvm_cpu_ms_per_task}, {@code baseline_jvm_cpu_ms_per_task})
 * and of the processes it waited for ({@code child_cpu_ms_per_task}, {@code
 * baseline_child_cpu_ms_per_task}), from {@code /proc/self/stat} over each part. The JVM's share
 * includes the bench's own polling for the runs' end (a count query every 5 ms).
 */
record ProcessTasksWorkload(int runCount, int tasks) implements Workload {

  @Override
  public String scenario() {
    return "process-tasks";
  }

  @Override
  public String label() {
    return runCount + "x" + tasks;
  }

  @Override
  public int runs() {
    return runCount;
  }

  @Override
  public int dags() {
    return 1;
  }

  @Override
  public boolean reportsThroughput() {
    return true;
  }

  @Override
  public Sample run(BenchDatabases databases, Window window) throws Exception {
    int total = runCount * tasks;
    try (BenchDatabases.Fresh fresh = databases.fresh()) {
      Database db = fresh.database();
      Path dags = fresh.folder().resolve("dags");
      List<String> ids = DagFiles.write(dags, "proc", 1, Shape.LINE, tasks, runCount);
      SchedulerHarness.loadDags(db, dags);
      try (SchedulerHarness harness =
          new SchedulerHarness(db, ExecutorKind.LOCAL, fresh.folder().resolve("logs"))) {
        harness.trigger(ids, runCount);
        window.open();
        Cpu baseline;
        Cpu updraft;
        double updraftSeconds;
        try {
          baseline = bareLoop(total, SchedulerHarness.PARALLELISM);
          Cpu before = Cpu.now();
          Instant started = harness.start();
          Instant finished = harness.awaitAllFinished(Duration.ofMinutes(10));
          updraft = before.until(Cpu.now());
          updraftSeconds = Duration.between(started, finished).toNanos() / 1e9;
        } finally {
          window.close();
        }
        int failed = harness.unsuccessfulRuns();
        int succeeded = harness.successfulTaskInstances();
        if (failed > 0 || succeeded != total) {
          throw new IllegalStateException(
              "process-tasks: "
                  + failed
                  + " run(s) did not succeed and "
                  + succeeded
                  + " of "
                  + total
                  + " task instances did — the task logs say why");
        }
        double rate = total / updraftSeconds;
        double baseRate = total / baseline.seconds();
        return new Sample(
            updraftSeconds,
            Map.of(
                "tasks_per_s", rate,
                "baseline_tasks_per_s", baseRate,
                "ratio", rate / baseRate,
                "jvm_cpu_ms_per_task", updraft.jvm() * 1000 / total,
                "child_cpu_ms_per_task", updraft.children() * 1000 / total,
                "baseline_jvm_cpu_ms_per_task", baseline.jvm() * 1000 / total,
                "baseline_child_cpu_ms_per_task", baseline.children() * 1000 / total));
      }
    }
  }

  /** {@code count} × {@code bash -c true}, started and waited for by {@code width} threads. */
  static Cpu bareLoop(int count, int width) throws Exception {
    Cpu before = Cpu.now();
    ExecutorService pool =
        Executors.newFixedThreadPool(width, Thread.ofPlatform().name("bare-", 0).factory());
    try {
      List<Future<Integer>> done = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        done.add(pool.submit(() -> new ProcessBuilder("bash", "-c", "true").start().waitFor()));
      }
      for (Future<Integer> f : done) {
        if (f.get() != 0) {
          throw new IllegalStateException("bash -c true exited with " + f.get());
        }
      }
    } finally {
      pool.shutdown();
    }
    return before.until(Cpu.now());
  }

  /** Wall time and CPU time of this JVM and of its reaped children, or a difference of two. */
  record Cpu(double seconds, double jvm, double children) {
    static Cpu now() throws IOException {
      long self = ProcessHandle.current().pid();
      return new Cpu(
          System.nanoTime() / 1e9, ProcStatus.cpuSeconds(self), ProcStatus.childCpuSeconds(self));
    }

    Cpu until(Cpu later) {
      return new Cpu(later.seconds - seconds, later.jvm - jvm, later.children - children);
    }
  }
}
