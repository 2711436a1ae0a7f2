package io.updraft.scheduler;

import io.updraft.executor.Executor;
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
    long jobId) {

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
        jobId);
  }
}
