package io.updraft.scheduler;

import io.updraft.callbacks.DeadlineAlerts;
import io.updraft.dag.Dag;
import io.updraft.dag.Task;
import io.updraft.rules.PriorityWeights;
import io.updraft.state.DagRunState;
import io.updraft.store.DagRow;
import io.updraft.store.DagRunRepository;
import io.updraft.store.Database;
import io.updraft.store.DuplicateDagRunException;
import io.updraft.store.NewDagRun;
import io.updraft.store.NewTaskInstance;
import io.updraft.store.NextDagRun;
import io.updraft.store.RunType;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.timetable.DagRunInfo;
import io.updraft.timetable.DataInterval;
import io.updraft.timetable.TimeRestriction;
import io.updraft.timetable.Timetables;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 1: creates the scheduled DagRun of every active, unpaused DAG whose next run is due, with
 * its task instances, and moves the DAG's next-run fields on. DAG rows are claimed with {@code FOR
 * UPDATE SKIP LOCKED}, so two schedulers never create the same run. A DAG already at {@code
 * max_active_runs} active runs gets no new one until one ends (its next-run fields stay due).
 */
final class CreateDagRuns {
  private static final Logger log = LoggerFactory.getLogger(CreateDagRuns.class);
  private static final int DAGS_PER_LOOP = 16;

  private final SchedulerContext ctx;

  CreateDagRuns(SchedulerContext ctx) {
    this.ctx = ctx;
  }

  /** Returns how many runs it created. */
  int run(Instant now) {
    return ctx.database()
        .inTransaction(
            () -> {
              int created = 0;
              for (DagRow row : ctx.dags().dueForRunCreation(now, DAGS_PER_LOOP)) {
                created += createNext(row, now) ? 1 : 0;
              }
              return created;
            });
  }

  private boolean createNext(DagRow row, Instant now) {
    DagVersions.Versioned latest = ctx.versions().latest(row.dagId());
    Dag dag = latest.dag();
    if (ctx.runs().countActive(dag.dagId()) >= dag.maxActiveRuns()) {
      return false;
    }
    NextDagRun next = row.next();
    String runId = RunIds.of(RunType.SCHEDULED, next.logicalDate());
    boolean created = false;
    try {
      createRun(
          ctx.runs(),
          ctx.taskInstances(),
          ctx.database(),
          dag,
          new NewDagRun(
              dag.dagId(),
              runId,
              RunType.SCHEDULED,
              DagRunState.QUEUED,
              next.logicalDate(),
              next.dataIntervalStart(),
              next.dataIntervalEnd(),
              next.createAfter(),
              null,
              latest.hash(),
              ctx.jobId()),
          now);
      created = true;
    } catch (DuplicateDagRunException e) {
      // A manual run already holds this logical date: Airflow skips the scheduled one too.
      log.info("DAG {}: not creating {}: {}", dag.dagId(), runId, e.getMessage());
    }
    DataInterval last = new DataInterval(next.dataIntervalStart(), next.dataIntervalEnd());
    Optional<DagRunInfo> following =
        Timetables.of(dag).nextDagRunInfo(last, TimeRestriction.of(dag), now);
    ctx.dags().setNextRun(dag.dagId(), following.map(NextDagRun::of).orElse(null));
    return created;
  }

  /**
   * Creates a run and its task instances (all none), and its deadline if the DAG has one, in the
   * caller's transaction.
   */
  static long createRun(
      DagRunRepository runs,
      TaskInstanceRepository taskInstances,
      Database db,
      Dag dag,
      NewDagRun run,
      Instant now) {
    long id = runs.create(run, now);
    DeadlineAlerts.record(db, dag, id, run, now);
    Map<String, Integer> weights = PriorityWeights.compute(dag);
    List<NewTaskInstance> tis = new ArrayList<>(dag.tasks().size());
    for (Task t : dag.tasks()) {
      tis.add(
          new NewTaskInstance(
              t.taskId(),
              -1,
              weights.get(t.taskId()),
              t.pool(),
              t.poolSlots(),
              t.queue(),
              t.operator(),
              t.retries()));
    }
    taskInstances.createForRun(run.dagId(), run.runId(), tis, now);
    return id;
  }
}
