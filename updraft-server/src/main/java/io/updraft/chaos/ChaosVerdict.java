package io.updraft.chaos;

import io.updraft.state.DagRunState;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.DagRunRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.Database;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The judge of a chaos run, from the tasks' own traces first and then, once every run has finished,
 * from the tables: no task instance ran two tries at one instant; the pool never held more
 * processes than its slots; no task process is left running, none ended without its end line; every
 * run succeeded, no try is left {@code running} or {@code queued}, and every task instance's last
 * try has its trace.
 *
 * @param runs the DAG's runs
 * @param taskInstances their task instances
 * @param processes the task processes the traces show
 * @param retried task instances that took more than one try
 * @param poolMax the most pooled task processes at one instant
 */
public record ChaosVerdict(
    int runs,
    int taskInstances,
    int processes,
    long retried,
    List<String> overlaps,
    int poolMax,
    int poolSlots,
    List<String> stillRunning,
    List<String> unended,
    List<String> runsNotSuccess,
    List<String> leftRunningOrQueued,
    List<String> untraced) {

  /** Judges the runs of {@link ChaosDag#DAG_ID} on {@code db} from the traces in {@code traces}. */
  public static ChaosVerdict judge(Database db, Path traces, int poolSlots) {
    TryTraces t = TryTraces.read(traces);
    List<DagRunRow> runs = new DagRunRepository(db).list(ChaosDag.DAG_ID, 1_000_000);
    TaskInstanceRepository repo = new TaskInstanceRepository(db);
    List<TaskInstanceRow> tis = new ArrayList<>();
    List<String> runsNotSuccess = new ArrayList<>();
    for (DagRunRow r : runs) {
      tis.addAll(repo.listForRun(ChaosDag.DAG_ID, r.runId()));
      if (r.state() != DagRunState.SUCCESS) {
        runsNotSuccess.add(r.runId() + " " + r.state().id());
      }
    }
    List<String> left = new ArrayList<>();
    List<String> untraced = new ArrayList<>();
    for (TaskInstanceRow ti : tis) {
      if (ti.state() == TaskInstanceState.RUNNING || ti.state() == TaskInstanceState.QUEUED) {
        left.add(ti.runId() + " " + ti.taskId() + " " + ti.state().id());
      }
      if (ti.state() == TaskInstanceState.SUCCESS
          && t.spans().stream()
              .noneMatch(
                  s ->
                      s.runId().equals(ti.runId())
                          && s.taskId().equals(ti.taskId())
                          && s.tryNumber() == ti.tryNumber())) {
        untraced.add(ti.runId() + " " + ti.taskId() + " try " + ti.tryNumber());
      }
    }
    return new ChaosVerdict(
        runs.size(),
        tis.size(),
        t.spans().size(),
        tis.stream().filter(ti -> ti.tryNumber() > 1).count(),
        t.overlaps(),
        t.maxConcurrent("pooled_"),
        poolSlots,
        t.stillRunning().stream().map(Object::toString).toList(),
        t.unended().stream().map(Object::toString).toList(),
        runsNotSuccess,
        left,
        untraced);
  }

  /** Every broken promise, one line each; empty when the run was clean. */
  public List<String> violations() {
    List<String> v = new ArrayList<>();
    overlaps.forEach(o -> v.add("two tries at once: " + o));
    if (poolMax > poolSlots) {
      v.add("the pool of " + poolSlots + " held " + poolMax + " task processes at one instant");
    }
    stillRunning.forEach(s -> v.add("task process still running: " + s));
    unended.forEach(s -> v.add("task process without its end line: " + s));
    runsNotSuccess.forEach(r -> v.add("run not success: " + r));
    leftRunningOrQueued.forEach(t -> v.add("try left behind: " + t));
    untraced.forEach(t -> v.add("no trace of the successful try: " + t));
    return v;
  }

  /** One line for a report: processes, retries and each kind of violation counted. */
  public String summary() {
    return runs
        + " runs, "
        + taskInstances
        + " task instances, "
        + processes
        + " task processes, "
        + retried
        + " retried; overlaps "
        + overlaps.size()
        + ", pool max "
        + poolMax
        + "/"
        + poolSlots
        + ", still running "
        + stillRunning.size()
        + ", unended "
        + unended.size()
        + ", runs not success "
        + runsNotSuccess.size()
        + ", left running/queued "
        + leftRunningOrQueued.size()
        + ", untraced "
        + untraced.size();
  }
}
