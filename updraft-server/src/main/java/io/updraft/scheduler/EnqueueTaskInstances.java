package io.updraft.scheduler;

import io.updraft.dag.Dag;
import io.updraft.dag.Task;
import io.updraft.store.ActiveTaskCounts;
import io.updraft.store.Pool;
import io.updraft.store.PoolOccupancy;
import io.updraft.store.ScheduledTaskInstance;
import io.updraft.store.TaskInstanceQueueing;
import io.updraft.store.TaskInstanceRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Step 4, the critical section: picks scheduled task instances with {@link QueueSelection} against
 * the pools and limits, marks them queued, and hands them to the executor once the transaction has
 * committed (an executor never sees an instance the database does not show queued).
 */
final class EnqueueTaskInstances {
  private static final int MAX_CANDIDATES = 512;

  private final SchedulerContext ctx;
  private final TaskInstanceQueueing queueing;

  EnqueueTaskInstances(SchedulerContext ctx) {
    this.ctx = ctx;
    this.queueing = new TaskInstanceQueueing(ctx.database());
  }

  /** Returns how many task instances it queued. */
  int run(Instant now) {
    int open = ctx.executor().openSlots();
    if (open <= 0) {
      return 0;
    }
    List<TaskInstanceRow> queued =
        ctx.database()
            .inTransaction(
                () -> {
                  if (!ctx.pools().tryLockAll()) {
                    return List.<TaskInstanceRow>of(); // another scheduler is in its section
                  }
                  int limit = Math.min(open, MAX_CANDIDATES);
                  List<ScheduledTaskInstance> scheduled =
                      ctx.scope() == null
                          ? queueing.scheduledForQueueing(limit)
                          : queueing.scheduledForQueueing(
                              ctx.scope().dagId(), ctx.scope().runId(), limit);
                  if (scheduled.isEmpty()) {
                    return List.<TaskInstanceRow>of();
                  }
                  Map<Long, TaskInstanceRow> byId = new HashMap<>();
                  List<QueueCandidate> candidates = new ArrayList<>(scheduled.size());
                  for (ScheduledTaskInstance s : scheduled) {
                    TaskInstanceRow ti = s.ti();
                    byId.put(ti.id(), ti);
                    Dag dag = ctx.versions().get(ti.dagId(), s.dagHash());
                    Integer perTask =
                        dag.task(ti.taskId()).map(Task::maxActiveTisPerDag).orElse(null);
                    candidates.add(
                        new QueueCandidate(
                            ti.id(),
                            ti.dagId(),
                            ti.runId(),
                            ti.taskId(),
                            ti.pool(),
                            ti.poolSlots(),
                            ti.priorityWeight(),
                            s.logicalDate(),
                            dag.maxActiveTasks(),
                            perTask));
                  }
                  List<QueueCandidate> chosen = QueueSelection.select(candidates, occupancy(open));
                  List<Long> ids = chosen.stream().map(QueueCandidate::id).toList();
                  Set<Long> done = queueing.queue(ids, ctx.jobId(), now);
                  List<TaskInstanceRow> out = new ArrayList<>(done.size());
                  ids.stream().filter(done::contains).forEach(id -> out.add(byId.get(id)));
                  return out;
                });
    ctx.executor().queue(queued);
    return queued.size();
  }

  private Occupancy occupancy(int executorOpen) {
    Map<String, Integer> sizes = new HashMap<>();
    Map<String, Boolean> includeDeferred = new HashMap<>();
    for (Pool p : ctx.pools().list()) {
      sizes.put(p.name(), p.slots());
      includeDeferred.put(p.name(), p.includeDeferred());
    }
    Map<String, Integer> occupied = new HashMap<>();
    for (PoolOccupancy o : queueing.poolOccupancy().values()) {
      occupied.put(o.pool(), o.occupied(includeDeferred.getOrDefault(o.pool(), false)));
    }
    ActiveTaskCounts active = queueing.activeCounts();
    Map<Occupancy.RunKey, Integer> byRun = new HashMap<>();
    active.byRun().forEach((k, v) -> byRun.put(new Occupancy.RunKey(k.dagId(), k.runId()), v));
    Map<Occupancy.TaskKey, Integer> byTask = new HashMap<>();
    active
        .byDagTask()
        .forEach((k, v) -> byTask.put(new Occupancy.TaskKey(k.dagId(), k.taskId()), v));
    return new Occupancy(sizes, occupied, byRun, byTask, executorOpen);
  }
}
