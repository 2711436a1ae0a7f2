package io.updraft.scheduler;

import io.updraft.callbacks.DeadlineAlerts;
import io.updraft.dag.Dag;
import io.updraft.dag.Task;
import io.updraft.rules.PriorityWeights;
import io.updraft.state.DagRunState;
import io.updraft.store.DagRow;
import io.updraft.store.DagRunRepository;
import io.updraft.store.DagRunRow;
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
import java.util.HashMap;
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
      // Behind a savepoint: a backfill or a trigger may take this logical date between the check
      // and the insert; on PostgreSQL the failed insert would otherwise abort the whole pass.
      ctx.database()
          .jdbc()
          .inSavepoint(
              "creating " + runId,
              () ->
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
                      now));
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
    taskInstances.createForRun(run.dagId(), run.runId(), runDate(run), newTaskInstances(dag), now);
    return id;
  }

  /**
   * {@link #createRun} for many runs of one DAG in a few statements (see {@link
   * DagRunRepository#createAll}): runs whose run_id or logical date is taken are skipped.
   *
   * @throws io.updraft.store.DuplicateDagRunException another creator took one meanwhile; retry
   */
  static DagRunRepository.Created createRuns(
      DagRunRepository runs,
      TaskInstanceRepository taskInstances,
      Database db,
      Dag dag,
      List<NewDagRun> newRuns,
      Instant now) {
    DagRunRepository.Created result = runs.createAll(newRuns, now);
    Map<String, NewDagRun> asked = new HashMap<>();
    newRuns.forEach(r -> asked.put(r.runId(), r));
    List<TaskInstanceRepository.NewRun> created = new ArrayList<>();
    for (DagRunRow r : result.created()) {
      DeadlineAlerts.record(db, dag, r.id(), asked.get(r.runId()), now);
      created.add(new TaskInstanceRepository.NewRun(r.runId(), runDate(asked.get(r.runId()))));
    }
    taskInstances.createForRuns(dag.dagId(), created, newTaskInstances(dag), now);
    return result;
  }

  /**
   * How often {@link #createRunsRetrying} tries again when a scheduler or a trigger takes one of
   * the logical dates between its read and its insert; each try reads afresh, so it skips that date
   * next time.
   */
  private static final int ATTEMPTS = 5;

  /**
   * {@link #createRuns} in a transaction of its own, tried again (a fresh read each time) when
   * someone else creates one of the runs' dates or run_ids meanwhile; {@code check} runs in the
   * transaction after the inserts, and a {@link RuntimeException} it throws undoes them all and
   * goes to the caller.
   *
   * @param what names the work in the error when the runs keep being taken
   */
  static DagRunRepository.Created createRunsRetrying(
      Database db,
      Dag dag,
      List<NewDagRun> newRuns,
      Instant now,
      String what,
      java.util.function.Consumer<DagRunRepository.Created> check) {
    DagRunRepository runs = new DagRunRepository(db);
    TaskInstanceRepository tis = new TaskInstanceRepository(db);
    for (int attempt = 1; ; attempt++) {
      try {
        return db.inTransaction(
            () -> {
              DagRunRepository.Created done = createRuns(runs, tis, db, dag, newRuns, now);
              check.accept(done);
              return done;
            });
      } catch (DuplicateDagRunException e) {
        if (attempt == ATTEMPTS) {
          throw new io.updraft.UpdraftException(
              what
                  + ": runs kept being created in the same range by someone else ("
                  + e.getMessage()
                  + ") — try again",
              e);
        }
      }
    }
  }

  /** What {@code task_instance.run_date} holds: the run's logical date, or its run_after. */
  private static Instant runDate(NewDagRun run) {
    return run.logicalDate() != null ? run.logicalDate() : run.runAfter();
  }

  private static List<NewTaskInstance> newTaskInstances(Dag dag) {
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
    return tis;
  }
}
