package io.updraft.scheduler;

import io.updraft.dag.Dag;
import io.updraft.dag.Task;
import io.updraft.state.DagRunState;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.DagRunRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.Database;
import io.updraft.store.StateChange;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Clearing task instances (Airflow's {@code tasks clear}): the chosen instances go back to none so
 * the scheduler runs them again, with {@code max_tries} raised by the task's retries (Airflow:
 * {@code try_number + retries}); a running one goes to restarting so its worker stops it first.
 * Their finished runs go back to queued. Instances that never ran are left alone.
 */
public final class ClearTasks {
  /** What a clear changed. */
  public record Cleared(int taskInstances, int runs) {}

  /**
   * Which task instances of a DAG to clear.
   *
   * @param taskRegex which tasks (Java regex, matched anywhere in the task_id, as Airflow's {@code
   *     -t}); null: all (unless {@code taskIds} names them)
   * @param taskIds exactly these tasks (the API's {@code task_ids}); null: all (unless {@code
   *     taskRegex} names them); both given: the tasks that match either
   * @param upstream also clear everything upstream of the chosen tasks
   * @param downstream also clear everything downstream of the chosen tasks
   * @param from earliest logical date, inclusive; null: no bound
   * @param to latest logical date, inclusive; null: no bound
   * @param runId only this run; null: every run in the range
   * @param onlyFailed only instances that failed or are upstream_failed (Airflow's {@code
   *     --only-failed}; it applies to the downstream ones too)
   * @param onlyRunning only instances that are running (Airflow's {@code only_running})
   * @param resetRuns queue the finished runs of cleared instances again (Airflow's {@code
   *     reset_dag_runs}, true unless said otherwise); false leaves the runs as they are
   */
  public record Selection(
      String taskRegex,
      Set<String> taskIds,
      boolean upstream,
      boolean downstream,
      Instant from,
      Instant to,
      String runId,
      boolean onlyFailed,
      boolean onlyRunning,
      boolean resetRuns) {
    public Selection {
      taskIds = taskIds == null ? null : Set.copyOf(taskIds);
    }

    /** By regex, downstream, range, run and only-failed: what {@code tasks clear} chooses by. */
    public Selection(
        String taskRegex,
        boolean downstream,
        Instant from,
        Instant to,
        String runId,
        boolean onlyFailed) {
      this(taskRegex, null, false, downstream, from, to, runId, onlyFailed, false, true);
    }

    /** Every run of the DAG: no run_id and no date bound. */
    public boolean everyRun() {
      return runId == null && from == null && to == null;
    }
  }

  /** One task instance a clear changed (or would change), with the state it had. */
  public record Instance(String runId, String taskId, int mapIndex, TaskInstanceState previous) {}

  /**
   * What a clear changed: the instances (newest run first) with the states they had, and how many
   * finished runs were queued again.
   */
  public record Report(List<Instance> instances, int runs) {}

  private static final Set<TaskInstanceState> FAILED_STATES =
      Set.of(TaskInstanceState.FAILED, TaskInstanceState.UPSTREAM_FAILED);

  private ClearTasks() {}

  /** Clears by task regex, downstream and logical-date range; see {@link Selection}. */
  public static Cleared clear(
      Database db,
      DagVersions versions,
      String dagId,
      String taskRegex,
      boolean downstream,
      Instant from,
      Instant to,
      Instant now) {
    Report r =
        clear(
            db, versions, dagId, new Selection(taskRegex, downstream, from, to, null, false), now);
    return new Cleared(r.instances().size(), r.runs());
  }

  /** What {@link #clear(Database, DagVersions, String, Selection, Instant)} would clear now. */
  public static List<Instance> preview(
      Database db, DagVersions versions, String dagId, Selection selection) {
    TaskInstanceRepository tis = new TaskInstanceRepository(db);
    List<Instance> found = new ArrayList<>();
    for (DagRunRow run : runs(db, dagId, selection)) {
      Dag dag = versions.get(run.dagId(), run.dagHash());
      for (TaskInstanceRow ti : chosenInstances(dag, tis, run, selection)) {
        found.add(new Instance(run.runId(), ti.taskId(), ti.mapIndex(), ti.state()));
      }
    }
    return found;
  }

  public static Report clear(
      Database db, DagVersions versions, String dagId, Selection selection, Instant now) {
    DagRunRepository runs = new DagRunRepository(db);
    TaskInstanceRepository tis = new TaskInstanceRepository(db);
    return db.inTransaction(
        () -> {
          List<Instance> cleared = new ArrayList<>();
          int clearedRuns = 0;
          for (DagRunRow run : runs(db, dagId, selection)) {
            Dag dag = versions.get(run.dagId(), run.dagHash());
            List<TaskInstanceRepository.Reset> resets = new ArrayList<>();
            List<StateChange> restarts = new ArrayList<>();
            List<TaskInstanceRow> chosen = chosenInstances(dag, tis, run, selection);
            for (TaskInstanceRow ti : chosen) {
              int retries = dag.task(ti.taskId()).map(Task::retries).orElse(0);
              if (ti.state() == TaskInstanceState.RUNNING) {
                restarts.add(new StateChange(ti.id(), ti.state(), TaskInstanceState.RESTARTING));
              } else {
                resets.add(
                    new TaskInstanceRepository.Reset(
                        ti.id(), ti.state(), ti.tryNumber() + retries));
              }
            }
            Set<Long> changed = new HashSet<>(tis.resetToNone(resets, now));
            changed.addAll(tis.setStates(restarts, now));
            for (TaskInstanceRow ti : chosen) {
              if (changed.contains(ti.id())) {
                cleared.add(new Instance(run.runId(), ti.taskId(), ti.mapIndex(), ti.state()));
              }
            }
            if (!changed.isEmpty()
                && selection.resetRuns()
                && run.state().isFinished()
                && runs.setState(run.id(), run.state(), DagRunState.QUEUED, now)) {
              clearedRuns++;
            }
          }
          return new Report(List.copyOf(cleared), clearedRuns);
        });
  }

  /** The DAG's runs the selection names, newest first. */
  private static List<DagRunRow> runs(Database db, String dagId, Selection selection) {
    List<DagRunRow> chosen = new ArrayList<>();
    for (DagRunRow run : new DagRunRepository(db).list(dagId, Integer.MAX_VALUE)) {
      Instant logical = run.logicalDate() != null ? run.logicalDate() : run.runAfter();
      if ((selection.runId() != null && !selection.runId().equals(run.runId()))
          || (selection.from() != null && logical.isBefore(selection.from()))
          || (selection.to() != null && logical.isAfter(selection.to()))) {
        continue;
      }
      chosen.add(run);
    }
    return chosen;
  }

  /** The run's instances the selection clears; instances that never ran are left alone. */
  private static List<TaskInstanceRow> chosenInstances(
      Dag dag, TaskInstanceRepository tis, DagRunRow run, Selection selection) {
    Set<String> chosen = chosen(dag, selection);
    List<TaskInstanceRow> found = new ArrayList<>();
    for (TaskInstanceRow ti : tis.listForRun(run.dagId(), run.runId())) {
      if (chosen.contains(ti.taskId())
          && ti.state() != TaskInstanceState.NONE
          && (!selection.onlyFailed() || FAILED_STATES.contains(ti.state()))
          && (!selection.onlyRunning() || ti.state() == TaskInstanceState.RUNNING)) {
        found.add(ti);
      }
    }
    return found;
  }

  private static Set<String> chosen(Dag dag, Selection selection) {
    Pattern pattern = selection.taskRegex() == null ? null : Pattern.compile(selection.taskRegex());
    boolean all = pattern == null && selection.taskIds() == null;
    Set<String> named = new HashSet<>();
    for (Task t : dag.tasks()) {
      if (all
          || (pattern != null && pattern.matcher(t.taskId()).find())
          || (selection.taskIds() != null && selection.taskIds().contains(t.taskId()))) {
        named.add(t.taskId());
      }
    }
    Set<String> chosen = new HashSet<>(named);
    if (selection.upstream()) {
      chosen.addAll(Relatives.upstream(dag, named));
    }
    if (selection.downstream()) {
      chosen.addAll(Relatives.downstream(dag, named));
    }
    return chosen;
  }
}
