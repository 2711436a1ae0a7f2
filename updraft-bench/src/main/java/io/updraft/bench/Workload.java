package io.updraft.bench;

/**
 * One measured thing of a scenario, e.g. seed000-null's 40 runs × 12 tasks. Each {@link #run} sets
 * up a fresh database state of its own, measures, and cleans up.
 */
public interface Workload {
  /** The scenario it belongs to, e.g. {@code seed000-null}. */
  String scenario();

  /** Which of the scenario's workloads, e.g. {@code 40x12} or {@code cold}. */
  String label();

  /** DagRuns it runs; none unless it says so. */
  default int runs() {
    return 0;
  }

  /** Task instances per run, or tasks per DAG where it runs none. */
  int tasks();

  /** DAGs it works with. */
  int dags();

  /** Whether task instances per second (runs × tasks / seconds) means something for it. */
  default boolean reportsThroughput() {
    return false;
  }

  /**
   * Whether a run before the measured ones warms anything up; not for a workload whose every run
   * starts fresh processes and warms them up itself.
   */
  default boolean warmsUp() {
    return true;
  }

  /**
   * Warm-up runs at most: after the first, more follow until the JIT has compiled for less than
   * {@link BenchRunner#JIT_SETTLED} of a run's time (of its measured part, where the run reports
   * {@code jit_ms}) twice in a row.
   */
  default int maxWarmUps() {
    return 1;
  }

  /**
   * Runs it once on a fresh database of {@code databases}, opening {@code window} around what it
   * measures.
   */
  Sample run(BenchDatabases databases, Window window) throws Exception;
}
