package io.updraft.bench;

import io.updraft.bench.DagFiles.Shape;
import io.updraft.bench.SchedulerHarness.ExecutorKind;
import io.updraft.store.DagRunRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.Database;
import io.updraft.store.Pool;
import io.updraft.store.PoolRepository;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A scheduler workload in seed 000's manner: DAGs written as YAML files and read by the DAG
 * processor, {@code runsPerDag} manual runs of each created, then the scheduler started and timed
 * from that moment until the last run has finished (its end date in the database). Every run must
 * succeed with every task instance, or the run is an error, not a number.
 *
 * <p>Measuring task lag, its main figure is instead the total task lag of all runs (each DAG a
 * line), and the time to finish becomes {@code makespan_s}. With {@code defaultPoolSlots} the
 * default pool gets that many slots first (null: its default, 128).
 *
 * <p>Timed to finish on PostgreSQL, a run also reports {@code pg_cpu_ms_per_ti}: the CPU time of
 * the database's backends over the run (the scheduler's connections and this harness's polling),
 * per task instance — the figure a loaded machine disturbs least.
 */
record SchedulerWorkload(
    String scenario,
    String label,
    Shape shape,
    int dagCount,
    int runsPerDag,
    int tasks,
    ExecutorKind executor,
    Measure measure,
    Integer defaultPoolSlots,
    Duration timeout)
    implements Workload {

  /** What a run's main figure is. */
  enum Measure {
    /** Seconds from the scheduler's start to the last run's end. */
    TIME_TO_FINISH,
    /** Total task lag, all runs created at once before the scheduler starts. */
    TASK_LAG,
    /**
     * Total task lag, the runs created one DAG at a time, each once the previous DAG's have
     * finished: the scheduler's own hop latency, without tasks queueing behind each other for the
     * machine's two cores.
     */
    TASK_LAG_ONE_DAG_AT_A_TIME
  }

  /**
   * This workload with {@code default_pool} at {@code slots} slots, labelled {@code -pool<slots>}.
   */
  SchedulerWorkload withDefaultPool(int slots) {
    return new SchedulerWorkload(
        scenario,
        label + "-pool" + slots,
        shape,
        dagCount,
        runsPerDag,
        tasks,
        executor,
        measure,
        slots,
        timeout);
  }

  @Override
  public int runs() {
    return dagCount * runsPerDag;
  }

  @Override
  public int dags() {
    return dagCount;
  }

  @Override
  public boolean reportsThroughput() {
    return measure == Measure.TIME_TO_FINISH;
  }

  @Override
  public Sample run(BenchDatabases databases, Window window) throws Exception {
    try (BenchDatabases.Fresh fresh = databases.fresh()) {
      Database db = fresh.database();
      Path dags = fresh.folder().resolve("dags");
      List<String> ids =
          DagFiles.write(dags, "bench", dagCount, shape, tasks, Math.max(16, runsPerDag));
      SchedulerHarness.loadDags(db, dags);
      if (defaultPoolSlots != null) { // as `updraft pools set default_pool N` does
        new PoolRepository(db)
            .set(new Pool(Pool.DEFAULT_POOL, defaultPoolSlots, "Default pool", false));
      }
      try (SchedulerHarness harness =
          new SchedulerHarness(db, executor, fresh.folder().resolve("logs"))) {
        Instant started;
        Instant finished = null;
        double pgSeconds = 0;
        if (measure == Measure.TASK_LAG_ONE_DAG_AT_A_TIME) {
          window.open();
          try {
            started = harness.start();
            for (String id : ids) {
              harness.trigger(List.of(id), runsPerDag);
              finished = harness.awaitAllFinished(timeout);
            }
          } finally {
            window.close();
          }
        } else {
          harness.trigger(ids, runsPerDag);
          window.open();
          Map<Long, Double> pgBefore = PgBackends.cpu(db);
          try {
            started = harness.start();
            finished = harness.awaitAllFinished(timeout);
          } finally {
            window.close();
          }
          pgSeconds = PgBackends.delta(pgBefore, PgBackends.cpu(db));
        }
        check(harness);
        double seconds = Duration.between(started, finished).toNanos() / 1e9;
        if (measure == Measure.TIME_TO_FINISH) {
          return pgSeconds > 0
              ? new Sample(seconds, Map.of("pg_cpu_ms_per_ti", pgSeconds * 1000 / (runs() * tasks)))
              : Sample.of(seconds);
        }
        Map<String, Double> extras = new HashMap<>(lag(db, harness, ids));
        extras.put("makespan_s", seconds);
        return new Sample(extras.remove("lag_total_s"), extras);
      }
    }
  }

  private void check(SchedulerHarness harness) {
    int failed = harness.unsuccessfulRuns();
    int succeeded = harness.successfulTaskInstances();
    if (failed > 0 || succeeded != runs() * tasks) {
      throw new IllegalStateException(
          scenario
              + " "
              + label
              + ": "
              + failed
              + " run(s) did not succeed and "
              + succeeded
              + " of "
              + runs() * tasks
              + " task instances did — the task logs say why");
    }
  }

  private Map<String, Double> lag(Database db, SchedulerHarness harness, List<String> ids) {
    DagRunRepository runs = new DagRunRepository(db);
    List<Double> hops = new ArrayList<>();
    for (String dagId : ids) {
      for (DagRunRow run : runs.list(dagId, runsPerDag)) {
        hops.addAll(TaskLag.hopsMillis(harness.taskInstances(dagId, run.runId())));
      }
    }
    return TaskLag.summary(hops);
  }
}
