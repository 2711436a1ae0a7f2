package io.updraft.rules;

import io.updraft.dag.Task;
import io.updraft.state.TaskInstanceState;
import java.util.Objects;

/**
 * Airflow 2.10's {@code PrevDagrunDep}: a task with {@code depends_on_past} runs only if its task
 * instance in the previous DAG run succeeded or was skipped; with {@code wait_for_downstream} also
 * only once that instance's direct downstream task instances succeeded or were skipped.
 *
 * <p>In order, the dependency is met when:
 *
 * <ol>
 *   <li>the task does not depend on the past;
 *   <li>there is no previous run (the first run of the DAG);
 *   <li>catchup is on and the previous run's logical date is before the task's start date (the task
 *       did not exist back then);
 *   <li>the previous run has no task instance of this task, and no earlier run has one either (the
 *       task is new: {@code ignore_first_depends_on_past}, which Airflow 2.10 turns on by default
 *       and Updraft always does). If an earlier run does have one, the gap is not forgiven: not
 *       met.
 * </ol>
 *
 * Otherwise it is met only if the previous task instance is success or skipped (any other state,
 * unfinished ones included, is not), and, with {@code wait_for_downstream}, so is every existing
 * direct downstream task instance of the previous run.
 */
public final class DependsOnPast {
  private DependsOnPast() {}

  public static PastDependency evaluate(Task task, PastFacts facts) {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(facts, "facts");
    if (!task.dependsOnPast()) {
      return met("the task does not depend on the past");
    }
    PastRun prev = facts.previousRun();
    if (prev == null) {
      return met("this is the first run of the DAG");
    }
    if (facts.catchup()
        && facts.taskStartDate() != null
        && prev.logicalDate().isBefore(facts.taskStartDate())) {
      return met("the previous run is before the task's start date");
    }
    if (prev.taskState() == null) {
      if (!facts.taskRanBefore()) {
        return met("this is the first task instance of the task");
      }
      return notMet(
          "depends_on_past is true, but the previous run has no instance of this task; run or"
              + " mark it there first");
    }
    if (!successful(prev.taskState())) {
      return notMet(
          "depends_on_past is true, but this task is '"
              + prev.taskState().id()
              + "' in the previous run; it must be success or skipped");
    }
    if (task.waitForDownstream()) {
      long unfinished = prev.downstreamStates().stream().filter(s -> !successful(s)).count();
      if (unfinished > 0) {
        return notMet(
            "wait_for_downstream is true, but "
                + unfinished
                + " direct downstream task(s) of the previous run are not success or skipped");
      }
    }
    return met("the previous run's task instance is " + prev.taskState().id());
  }

  private static boolean successful(TaskInstanceState s) {
    return s == TaskInstanceState.SUCCESS || s == TaskInstanceState.SKIPPED;
  }

  private static PastDependency met(String reason) {
    return new PastDependency(true, reason);
  }

  private static PastDependency notMet(String reason) {
    return new PastDependency(false, reason);
  }
}
