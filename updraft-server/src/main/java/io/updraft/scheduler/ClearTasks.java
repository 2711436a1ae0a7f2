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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
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

  private ClearTasks() {}

  /**
   * @param taskRegex which tasks (Java regex, matched anywhere in the task_id, as Airflow's {@code
   *     -t}); null: all
   * @param downstream also clear everything downstream of the matched tasks
   * @param from earliest logical date, inclusive; null: no bound
   * @param to latest logical date, inclusive; null: no bound
   */
  public static Cleared clear(
      Database db,
      DagVersions versions,
      String dagId,
      String taskRegex,
      boolean downstream,
      Instant from,
      Instant to,
      Instant now) {
    Pattern pattern = taskRegex == null ? null : Pattern.compile(taskRegex);
    DagRunRepository runs = new DagRunRepository(db);
    TaskInstanceRepository tis = new TaskInstanceRepository(db);
    return db.inTransaction(
        () -> {
          int clearedTis = 0;
          int clearedRuns = 0;
          for (DagRunRow run : runs.list(dagId, Integer.MAX_VALUE)) {
            Instant logical = run.logicalDate() != null ? run.logicalDate() : run.runAfter();
            if ((from != null && logical.isBefore(from)) || (to != null && logical.isAfter(to))) {
              continue;
            }
            Dag dag = versions.get(run.dagId(), run.dagHash());
            Set<String> chosen = chosen(dag, pattern, downstream);
            List<TaskInstanceRepository.Reset> resets = new ArrayList<>();
            List<StateChange> restarts = new ArrayList<>();
            for (TaskInstanceRow ti : tis.listForRun(run.dagId(), run.runId())) {
              if (!chosen.contains(ti.taskId()) || ti.state() == TaskInstanceState.NONE) {
                continue;
              }
              int retries = dag.task(ti.taskId()).map(Task::retries).orElse(0);
              if (ti.state() == TaskInstanceState.RUNNING) {
                restarts.add(new StateChange(ti.id(), ti.state(), TaskInstanceState.RESTARTING));
              } else {
                resets.add(
                    new TaskInstanceRepository.Reset(
                        ti.id(), ti.state(), ti.tryNumber() + retries));
              }
            }
            int changed = tis.resetToNone(resets, now).size() + tis.setStates(restarts, now).size();
            clearedTis += changed;
            if (changed > 0
                && run.state().isFinished()
                && runs.setState(run.id(), run.state(), DagRunState.QUEUED, now)) {
              clearedRuns++;
            }
          }
          return new Cleared(clearedTis, clearedRuns);
        });
  }

  private static Set<String> chosen(Dag dag, Pattern pattern, boolean downstream) {
    Set<String> chosen = new HashSet<>();
    for (Task t : dag.tasks()) {
      if (pattern == null || pattern.matcher(t.taskId()).find()) {
        chosen.add(t.taskId());
      }
    }
    if (downstream) {
      Deque<String> todo = new ArrayDeque<>(chosen);
      while (!todo.isEmpty()) {
        String id = todo.pop();
        for (Task t : dag.tasks()) {
          if (t.upstream().contains(id) && chosen.add(t.taskId())) {
            todo.push(t.taskId());
          }
        }
      }
    }
    return chosen;
  }
}
