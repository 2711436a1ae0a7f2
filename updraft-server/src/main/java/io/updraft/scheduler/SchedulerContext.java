package io.updraft.scheduler;

import io.updraft.executor.Executor;
import io.updraft.store.CallbackRequestRepository;
import io.updraft.store.DagRepository;
import io.updraft.store.DagRunRepository;
import io.updraft.store.Database;
import io.updraft.store.JobRepository;
import io.updraft.store.PoolRepository;
import io.updraft.store.SerializedDagRepository;
import io.updraft.store.TaskInstanceRepository;
import java.time.Clock;

/** What every step of the scheduler loop works with; built once per scheduler. */
public record SchedulerContext(
    Database database,
    DagRepository dags,
    DagRunRepository runs,
    TaskInstanceRepository taskInstances,
    PoolRepository pools,
    JobRepository jobs,
    DagVersions versions,
    Executor executor,
    Wakeup wakeup,
    Clock clock,
    long jobId,
    RunScope scope) {

  /**
   * Limits a scheduler to one DagRun: it creates no runs and starts, schedules and queues only that
   * one, paused or not — how {@code dags test} runs on a database others use.
   */
  public record RunScope(String dagId, String runId) {}

  /** Where state changes write the callbacks they cause (SPEC §1.8). */
  public CallbackRequestRepository callbacks() {
    return new CallbackRequestRepository(database);
  }

  public static SchedulerContext create(
      Database database, Executor executor, Wakeup wakeup, Clock clock, long jobId) {
    return new SchedulerContext(
        database,
        new DagRepository(database),
        new DagRunRepository(database),
        new TaskInstanceRepository(database),
        new PoolRepository(database),
        new JobRepository(database),
        new DagVersions(new SerializedDagRepository(database)),
        executor,
        wakeup,
        clock,
        jobId,
        null);
  }

  /** This context limited to one run. */
  public SchedulerContext scopedTo(String dagId, String runId) {
    return new SchedulerContext(
        database,
        dags,
        runs,
        taskInstances,
        pools,
        jobs,
        versions,
        executor,
        wakeup,
        clock,
        jobId,
        new RunScope(dagId, runId));
  }
}
