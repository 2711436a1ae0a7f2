package io.updraft.scheduler;

import static io.updraft.state.TaskInstanceState.NONE;
import static io.updraft.state.TaskInstanceState.SCHEDULED;
import static io.updraft.state.TaskInstanceState.SKIPPED;
import static io.updraft.state.TaskInstanceState.SUCCESS;
import static io.updraft.state.TaskInstanceState.UPSTREAM_FAILED;
import static io.updraft.state.TaskInstanceState.UP_FOR_RESCHEDULE;
import static io.updraft.state.TaskInstanceState.UP_FOR_RETRY;

import io.updraft.dag.Dag;
import io.updraft.dag.Task;
import io.updraft.rules.DependsOnPast;
import io.updraft.rules.PastFacts;
import io.updraft.rules.TriggerDecision;
import io.updraft.rules.TriggerRules;
import io.updraft.rules.UpstreamStates;
import io.updraft.state.DagRunState;
import io.updraft.state.TaskInstanceState;
import io.updraft.state.TaskInstanceTransitions;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Step 3 of the scheduler loop for one running DagRun, as a pure function: given the run's DAG
 * version and the states of its task instances, decide which instances become scheduled,
 * upstream_failed, skipped or (for {@code empty} tasks) success, and whether the run is over.
 *
 * <p>Unlike Airflow, which evaluates each task once per scheduler loop so that a failure needs one
 * loop per level to reach the end of a chain, tasks are visited in topological order and each
 * decision is visible to the tasks after it: a failure, a skip or a chain of {@code empty} tasks
 * propagates through the whole DAG in one pass, with no loop interval in between.
 */
public final class RunDecisions {
  /** States in which an instance is still being worked on by someone (not waiting on us). */
  private static final Set<TaskInstanceState> IN_FLIGHT =
      EnumSet.of(
          SCHEDULED,
          TaskInstanceState.QUEUED,
          TaskInstanceState.RUNNING,
          TaskInstanceState.DEFERRED,
          UP_FOR_RETRY,
          UP_FOR_RESCHEDULE,
          TaskInstanceState.RESTARTING);

  private static final String EMPTY_OPERATOR = "empty";

  private RunDecisions() {}

  /**
   * Decides one pass over a running DagRun.
   *
   * @param dag the DAG version the run was created with
   * @param runStartDate when the run started (for {@code dagrun_timeout}); null if unknown
   * @param instances the run's task instances by task_id; a task without one counts as none
   * @param now the current instant
   * @param past the facts about previous runs, asked only for tasks with depends_on_past
   */
  public static RunDecision decide(
      Dag dag,
      Instant runStartDate,
      Map<String, TaskInstanceView> instances,
      Instant now,
      Function<Task, PastFacts> past) {
    Map<String, TaskInstanceState> state = new HashMap<>();
    for (Task t : dag.tasks()) {
      TaskInstanceView ti = instances.get(t.taskId());
      state.put(t.taskId(), ti == null ? NONE : ti.state());
    }
    List<TaskDecision> changes = new ArrayList<>();
    Instant timeoutAt =
        dag.dagrunTimeout() == null || runStartDate == null
            ? null
            : runStartDate.plus(dag.dagrunTimeout());
    if (timeoutAt != null && !now.isBefore(timeoutAt)) {
      return timedOut(dag, state, changes);
    }

    Instant nextCheckAt = timeoutAt;
    boolean waitingOnPast = false;
    for (Task task : topologicalOrder(dag)) {
      String id = task.taskId();
      TaskInstanceState current = state.get(id);
      if (current != NONE && current != UP_FOR_RETRY && current != UP_FOR_RESCHEDULE) {
        continue;
      }
      if (current != NONE) {
        Instant due = instances.get(id).nextRetryAt();
        if (due != null && now.isBefore(due)) {
          nextCheckAt = earliest(nextCheckAt, due);
          continue;
        }
      }
      List<TaskInstanceState> upstream = new ArrayList<>(task.upstream().size());
      task.upstream().forEach(u -> upstream.add(state.get(u)));
      TriggerDecision decision =
          TriggerRules.decide(task.triggerRule(), UpstreamStates.of(upstream));
      TaskInstanceState next =
          switch (decision) {
            case WAIT -> null;
            case UPSTREAM_FAILED -> UPSTREAM_FAILED;
            case SKIPPED -> SKIPPED;
            case RUN -> {
              if (task.dependsOnPast() && !DependsOnPast.evaluate(task, past.apply(task)).met()) {
                waitingOnPast = true;
                yield null;
              }
              // Airflow marks an EmptyOperator success in the scheduler: no slot, no worker.
              yield task.operator().equals(EMPTY_OPERATOR) ? SUCCESS : SCHEDULED;
            }
          };
      if (next != null) {
        change(changes, state, id, current, next, "trigger rule " + task.triggerRule().id());
      }
    }
    return finish(dag, state, changes, waitingOnPast, nextCheckAt);
  }

  private static RunDecision timedOut(
      Dag dag, Map<String, TaskInstanceState> state, List<TaskDecision> changes) {
    for (Task t : dag.tasks()) {
      TaskInstanceState s = state.get(t.taskId());
      if (!s.isFinished()) {
        change(changes, state, t.taskId(), s, SKIPPED, "the DAG run timed out");
      }
    }
    return new RunDecision(
        changes,
        DagRunState.FAILED,
        "the run exceeded its dagrun_timeout of " + dag.dagrunTimeout(),
        null);
  }

  /** Whether the run is over: all done (leaves decide), or deadlocked. */
  private static RunDecision finish(
      Dag dag,
      Map<String, TaskInstanceState> state,
      List<TaskDecision> changes,
      boolean waitingOnPast,
      Instant nextCheckAt) {
    boolean allFinished = true;
    boolean inFlight = false;
    for (TaskInstanceState s : state.values()) {
      allFinished &= s.isFinished();
      inFlight |= IN_FLIGHT.contains(s);
    }
    if (allFinished) {
      // Airflow: a failed leaf fails the run; otherwise all leaves succeeded or were skipped.
      boolean failedLeaf = false;
      for (Task leaf : leaves(dag)) {
        TaskInstanceState s = state.get(leaf.taskId());
        failedLeaf |= s == TaskInstanceState.FAILED || s == UPSTREAM_FAILED;
      }
      return failedLeaf
          ? new RunDecision(changes, DagRunState.FAILED, "a leaf task failed", null)
          : new RunDecision(
              changes, DagRunState.SUCCESS, "all leaf tasks succeeded or skipped", null);
    }
    if (!inFlight && changes.isEmpty() && !waitingOnPast) {
      return new RunDecision(
          changes,
          DagRunState.FAILED,
          "deadlock: no task can run and none is running (e.g. an upstream task was removed)",
          null);
    }
    return new RunDecision(changes, null, null, nextCheckAt);
  }

  private static void change(
      List<TaskDecision> changes,
      Map<String, TaskInstanceState> state,
      String taskId,
      TaskInstanceState from,
      TaskInstanceState to,
      String reason) {
    TaskInstanceTransitions.check(from, to, taskId);
    state.put(taskId, to);
    changes.add(new TaskDecision(taskId, from, to, reason));
  }

  /** Tasks that no task lists as upstream (a removed leaf is finished and never failed). */
  private static List<Task> leaves(Dag dag) {
    Set<String> hasDownstream = new HashSet<>();
    dag.tasks().forEach(t -> hasDownstream.addAll(t.upstream()));
    return dag.tasks().stream().filter(t -> !hasDownstream.contains(t.taskId())).toList();
  }

  /** Kahn's algorithm, stable in declaration order; the DAG was validated acyclic. */
  public static List<Task> topologicalOrder(Dag dag) {
    Map<String, Integer> pending = new HashMap<>();
    Map<String, List<Task>> downstream = new HashMap<>();
    for (Task t : dag.tasks()) {
      pending.put(t.taskId(), t.upstream().size());
      for (String u : t.upstream()) {
        downstream.computeIfAbsent(u, k -> new ArrayList<>()).add(t);
      }
    }
    Deque<Task> ready = new ArrayDeque<>();
    dag.tasks().stream().filter(t -> t.upstream().isEmpty()).forEach(ready::add);
    List<Task> order = new ArrayList<>(dag.tasks().size());
    while (!ready.isEmpty()) {
      Task t = ready.removeFirst();
      order.add(t);
      for (Task d : downstream.getOrDefault(t.taskId(), List.of())) {
        if (pending.merge(d.taskId(), -1, Integer::sum) == 0) {
          ready.addLast(d);
        }
      }
    }
    if (order.size() != dag.tasks().size()) {
      throw new IllegalStateException(
          "DAG " + dag.dagId() + " has a cycle; it should not have loaded");
    }
    return order;
  }

  private static Instant earliest(Instant a, Instant b) {
    return a == null || b.isBefore(a) ? b : a;
  }
}
