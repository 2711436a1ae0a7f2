package io.updraft.scheduler;

import io.updraft.dag.Dag;
import io.updraft.metrics.SchedulerMetrics;
import io.updraft.state.DagRunState;
import io.updraft.store.DagRow;
import io.updraft.store.DagRunRow;
import io.updraft.store.RunType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Step 2: starts queued DagRuns, oldest first, while their DAG has fewer than {@code
 * max_active_runs} running. Runs of paused DAGs wait, as in Airflow.
 */
final class StartQueuedRuns {
  private static final int RUNS_PER_LOOP = 100;

  private final SchedulerContext ctx;

  StartQueuedRuns(SchedulerContext ctx) {
    this.ctx = ctx;
  }

  /** Returns how many runs it started. */
  int run(Instant now) {
    List<DagRunRow> scheduled = new ArrayList<>();
    List<Long> startedIds = new ArrayList<>();
    int started = start(now, scheduled, startedIds);
    // Examined in this pass's step 3 as changed runs, whatever the rotation's order.
    startedIds.forEach(ctx.wakeup()::noteRun);
    // Counted once committed: how late each scheduled run started (Airflow's schedule_delay).
    for (DagRunRow r : scheduled) {
      SchedulerMetrics.scheduleDelay(r.dagId(), Duration.between(r.runAfter(), now));
    }
    return started;
  }

  private int start(Instant now, List<DagRunRow> scheduled, List<Long> startedIds) {
    return ctx.database()
        .inTransaction(
            () -> {
              scheduled.clear();
              startedIds.clear();
              if (ctx.scope() != null) {
                return startScoped(now);
              }
              List<DagRunRow> queued = ctx.runs().queuedOldestFirst(RUNS_PER_LOOP);
              if (queued.isEmpty()) {
                return 0; // most passes: the running runs need not be counted
              }
              Map<String, Integer> running = new HashMap<>(ctx.runs().countRunningByDag());
              Map<String, Boolean> paused = new HashMap<>();
              List<DagRunRow> starting = new ArrayList<>();
              for (DagRunRow r : queued) {
                boolean isPaused =
                    paused.computeIfAbsent(
                        r.dagId(), id -> ctx.dags().get(id).map(DagRow::paused).orElse(false));
                if (isPaused) {
                  continue;
                }
                Dag dag = ctx.versions().get(r.dagId(), r.dagHash());
                int n = running.getOrDefault(r.dagId(), 0);
                if (n < dag.maxActiveRuns()) {
                  running.put(r.dagId(), n + 1);
                  starting.add(r);
                }
              }
              // The claim holds these runs locked: one statement starts them all.
              Set<Long> moved =
                  ctx.runs()
                      .setStates(
                          starting.stream().map(DagRunRow::id).toList(),
                          DagRunState.QUEUED,
                          DagRunState.RUNNING,
                          now);
              for (DagRunRow r : starting) {
                if (moved.contains(r.id())) {
                  startedIds.add(r.id());
                  if (r.runType() == RunType.SCHEDULED && r.runAfter() != null) {
                    scheduled.add(r);
                  }
                }
              }
              return startedIds.size();
            });
  }

  /** The scoped run starts whatever the DAG's paused flag and max_active_runs, as a test run. */
  private int startScoped(Instant now) {
    SchedulerContext.RunScope scope = ctx.scope();
    return ctx.runs()
            .get(scope.dagId(), scope.runId())
            .filter(r -> r.state() == DagRunState.QUEUED)
            .filter(r -> ctx.runs().setState(r.id(), DagRunState.QUEUED, DagRunState.RUNNING, now))
            .isPresent()
        ? 1
        : 0;
  }
}
