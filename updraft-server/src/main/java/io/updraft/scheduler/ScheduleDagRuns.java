package io.updraft.scheduler;

import io.updraft.callbacks.CallbackRequests;
import io.updraft.dag.Dag;
import io.updraft.dag.Task;
import io.updraft.metrics.SchedulerMetrics;
import io.updraft.metrics.TaskMetrics;
import io.updraft.rules.PastFacts;
import io.updraft.rules.PastRun;
import io.updraft.state.DagRunState;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.DagRunRow;
import io.updraft.store.StateChange;
import io.updraft.store.TaskInstanceRow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Step 3: examines running DagRuns, the longest unexamined first (claimed {@code SKIP LOCKED}, so
 * schedulers share them): asks {@link RunDecisions} what changes and writes it with guarded,
 * batched updates. Returns the earliest time-based deadline it saw, so the loop can sleep until
 * then.
 */
final class ScheduleDagRuns {
  private static final int RUNS_PER_LOOP = 64;

  /** Runs of the rotation a pass examines besides the named ones, when only named runs changed. */
  private static final int ROTATION_SHARE = 8;

  /**
   * When only named runs changed, the rotation takes runs not examined for this long (decisions/
   * 0183): the loop's idle timeout, within which an idle scheduler would see them again.
   */
  static final Duration ROTATION_REST = Duration.ofSeconds(1);

  /** What one pass did. */
  record Result(int changes, int runsFinished, Instant nextCheckAt) {}

  /** A task instance this pass finished (skipped, upstream_failed, an empty task's success). */
  private record TaskEnd(String dagId, String taskId, TaskInstanceState state) {}

  /** A run this pass finished, with how long it ran. */
  private record RunEnd(String dagId, DagRunState state, Duration took) {}

  private final SchedulerContext ctx;
  private final DeferSensors deferSensors;

  /** What the pass ended, counted in the metrics once its transaction committed. */
  private final List<TaskEnd> taskEnds = new ArrayList<>();

  private final List<RunEnd> runEnds = new ArrayList<>();

  ScheduleDagRuns(SchedulerContext ctx) {
    this.ctx = ctx;
    this.deferSensors = new DeferSensors(ctx.database());
  }

  /**
   * @param followUp the loop runs this pass at once after one that did work, with no deadline due:
   *     unless a signal names nothing, the rotation leaves the runs examined within {@link
   *     #ROTATION_REST} (decisions/0188)
   */
  Result run(Instant now, boolean followUp) {
    Result result = examine(now, followUp);
    for (TaskEnd e : taskEnds) {
      TaskMetrics.finished(e.dagId(), e.taskId(), e.state());
    }
    for (RunEnd e : runEnds) {
      SchedulerMetrics.dagRunFinished(e.dagId(), e.state(), e.took());
    }
    taskEnds.clear();
    runEnds.clear();
    return result;
  }

  private Result examine(Instant now, boolean followUp) {
    Wakeup.Changes changed = ctx.wakeup().takeChanges();
    return ctx.database()
        .inTransaction(
            () -> {
              taskEnds.clear();
              runEnds.clear();
              Pass pass = new Pass(now);
              List<DagRunRow> runs = runsToExamine(changed, followUp, now);
              Map<String, List<TaskInstanceRow>> instances = instancesOf(runs);
              for (DagRunRow run : runs) {
                pass.decide(run, instances.get(run.dagId() + '\n' + run.runId()));
              }
              pass.flush();
              List<Long> touched = new ArrayList<>(pass.examined);
              touched.removeAll(pass.endedRuns);
              ctx.runs().touchSchedulingDecision(touched, now);
              return new Result(pass.changes, pass.finished, pass.nextCheckAt);
            });
  }

  /**
   * One pass's decisions. The task instance writes of all its runs go out as one batch ({@link
   * #flush}), and what depends on them — run ends, callbacks, sensors deferred — follows it, run by
   * run; a run with depends_on_past tasks flushes first, so it sees the runs decided before it.
   */
  private final class Pass {
    private final Instant now;
    private final List<Long> examined = new ArrayList<>();
    private final List<StateChange> writes = new ArrayList<>();
    private final List<Decided> decided = new ArrayList<>();

    /** Runs this pass ended: their end already recorded the pass as their last decision. */
    private final Set<Long> endedRuns = new HashSet<>();

    private int changes;
    private int finished;
    private Instant nextCheckAt;

    /** A run's decision, waiting for the batch of writes it is part of. */
    private record Decided(
        DagRunRow run, Dag version, Dag dag, RunDecision decision, Map<String, Long> ids) {}

    Pass(Instant now) {
      this.now = now;
    }

    void decide(DagRunRow run, List<TaskInstanceRow> rows) {
      examined.add(run.id());
      Dag version = ctx.versions().get(run.dagId(), run.dagHash());
      Set<String> removed = removedSince(version, run, now);
      Dag dag = removed.isEmpty() ? version : RemovedTasks.without(version, removed);
      if (dag.tasks().stream().anyMatch(Task::dependsOnPast)) {
        flush(); // its past facts read the runs decided before it
      }
      Map<String, TaskInstanceView> views = new HashMap<>();
      Map<String, Long> ids = new HashMap<>();
      for (TaskInstanceRow ti : rows) {
        if (removed.contains(ti.taskId())) {
          if (NOT_STARTED.contains(ti.state())) {
            writes.add(new StateChange(ti.id(), ti.state(), TaskInstanceState.REMOVED));
          }
          continue;
        }
        views.put(ti.taskId(), new TaskInstanceView(ti.taskId(), ti.state(), ti.nextRetryAt()));
        ids.put(ti.taskId(), ti.id());
      }
      RunDecision d =
          RunDecisions.decide(dag, run.startDate(), views, now, task -> pastFacts(dag, run, task));
      for (TaskDecision c : d.changes()) {
        writes.add(new StateChange(ids.get(c.taskId()), c.from(), c.to()));
      }
      decided.add(new Decided(run, version, dag, d, ids));
    }

    /**
     * Writes the batch, then what follows each run's decision: sensors deferred, then the runs'
     * ends — one statement per end state for the whole pass, since the pass holds its runs locked.
     */
    void flush() {
      Set<Long> written = ctx.taskInstances().setStates(writes, now);
      changes += written.size();
      writes.clear();
      Map<DagRunState, List<Long>> ending = new java.util.EnumMap<>(DagRunState.class);
      for (Decided r : decided) {
        afterTasks(r, written);
        if (r.decision().runState() != null) {
          ending.computeIfAbsent(r.decision().runState(), k -> new ArrayList<>()).add(r.run().id());
        }
      }
      ending.forEach(
          (to, ids) -> endedRuns.addAll(ctx.runs().setStates(ids, DagRunState.RUNNING, to, now)));
      for (Decided r : decided) {
        if (endedRuns.contains(r.run().id())) { // a run is decided once a pass
          runEnded(r);
        }
      }
      decided.clear();
    }

    private void afterTasks(Decided r, Set<Long> written) {
      DagRunRow run = r.run();
      RunDecision d = r.decision();
      for (TaskDecision c : d.changes()) {
        long id = r.ids().get(c.taskId());
        if (c.to().isFinished() && written.contains(id)) {
          taskEnds.add(new TaskEnd(run.dagId(), c.taskId(), c.to()));
        }
        Optional<Task> task = r.dag().task(c.taskId());
        if (written.contains(id)
            && task.isPresent()
            && deferSensors.deferIfSensor(id, task.get(), c.to(), now)) {
          changes++;
        }
      }
      if (d.nextCheckAt() != null
          && (nextCheckAt == null || d.nextCheckAt().isBefore(nextCheckAt))) {
        nextCheckAt = d.nextCheckAt();
      }
    }

    private void runEnded(Decided r) {
      DagRunRow run = r.run();
      DagRunState state = r.decision().runState();
      finished++;
      if (run.startDate() != null) {
        runEnds.add(new RunEnd(run.dagId(), state, Duration.between(run.startDate(), now)));
      }
      ctx.callbacks()
          .add(CallbackRequests.forRun(r.version(), run.runId(), state, runEndReason(state)), now);
    }
  }

  /** The task instances of the runs, read in one query per DAG, by dag_id and run_id. */
  private Map<String, List<TaskInstanceRow>> instancesOf(List<DagRunRow> runs) {
    Map<String, List<String>> byDag = new LinkedHashMap<>();
    for (DagRunRow run : runs) {
      byDag.computeIfAbsent(run.dagId(), k -> new ArrayList<>()).add(run.runId());
    }
    Map<String, List<TaskInstanceRow>> out = new HashMap<>();
    byDag.forEach(
        (dagId, runIds) ->
            ctx.taskInstances()
                .listForRuns(dagId, runIds)
                .forEach((runId, rows) -> out.put(dagId + '\n' + runId, rows)));
    return out;
  }

  /** Airflow's reason of a run's end, given to the DAG's callbacks as their exception. */
  private static String runEndReason(DagRunState state) {
    return state == DagRunState.SUCCESS ? null : "task_failure";
  }

  /**
   * The runs named as changed first (a try of this JVM ended in them, or this pass started them),
   * then the rotation: the longest unexamined. When only named runs changed, the rotation gets a
   * small share of the pass, so a burst of task ends is not slowed by re-reading every other run,
   * while each run still comes up in turn (decisions/0136) — and only runs not examined for {@link
   * #ROTATION_REST}: during a burst every run's tries name it, and re-reading runs examined a few
   * milliseconds ago was most of the pass (decisions/0183).
   */
  private List<DagRunRow> runsToExamine(Wakeup.Changes changed, boolean followUp, Instant now) {
    SchedulerContext.RunScope scope = ctx.scope();
    if (scope != null) {
      return ctx.runs()
          .get(scope.dagId(), scope.runId())
          .filter(r -> r.state() == DagRunState.RUNNING)
          .map(List::of)
          .orElse(List.of());
    }
    List<Long> named = new ArrayList<>(changed.runs());
    if (named.size() > RUNS_PER_LOOP) {
      named.subList(RUNS_PER_LOOP, named.size()).forEach(ctx.wakeup()::signalRun); // next pass
      named = new ArrayList<>(named.subList(0, RUNS_PER_LOOP));
    }
    List<DagRunRow> runs = new ArrayList<>(ctx.runs().runningByIds(named));
    Set<Long> have = new HashSet<>();
    runs.forEach(r -> have.add(r.id()));
    List<DagRunRow> rotation;
    if (changed.onlyNamed()) {
      rotation = ctx.runs().runningForScheduling(ROTATION_SHARE, now.minus(ROTATION_REST));
    } else if (followUp && !changed.unnamed()) {
      // Nothing named and nothing else told: the rotation goes on, past the runs just examined.
      rotation = ctx.runs().runningForScheduling(RUNS_PER_LOOP, now.minus(ROTATION_REST));
    } else {
      rotation = ctx.runs().runningForScheduling(RUNS_PER_LOOP);
    }
    for (DagRunRow r : rotation) {
      if (have.add(r.id())) {
        runs.add(r);
      }
    }
    return runs;
  }

  /** Task states a removed task leaves for {@code removed}; one that started finishes first. */
  private static final Set<TaskInstanceState> NOT_STARTED =
      EnumSet.of(
          TaskInstanceState.NONE,
          TaskInstanceState.SCHEDULED,
          TaskInstanceState.UP_FOR_RETRY,
          TaskInstanceState.UP_FOR_RESCHEDULE);

  /** The tasks of the run's version that the DAG's newest version no longer has. */
  private Set<String> removedSince(Dag version, DagRunRow run, Instant now) {
    String latest = ctx.versions().latestHash(run.dagId(), now);
    if (latest == null || latest.equals(run.dagHash())) {
      return Set.of();
    }
    return RemovedTasks.of(version, ctx.versions().get(run.dagId(), latest));
  }

  /** The previous run's facts for a depends_on_past task (Airflow's prev_dagrun_dep). */
  private PastFacts pastFacts(Dag dag, DagRunRow run, Task task) {
    Instant taskStart = task.startDate() != null ? task.startDate() : dag.startDate();
    if (run.logicalDate() == null) {
      return PastFacts.firstRun(dag.catchup());
    }
    Optional<DagRunRow> previous =
        ctx.runs().previous(dag.dagId(), run.logicalDate(), dag.catchup());
    if (previous.isEmpty()) {
      return new PastFacts(dag.catchup(), taskStart, null, false);
    }
    Map<String, TaskInstanceState> states = new HashMap<>();
    for (TaskInstanceRow ti : ctx.taskInstances().listForRun(dag.dagId(), previous.get().runId())) {
      states.put(ti.taskId(), ti.state());
    }
    List<TaskInstanceState> downstream = new ArrayList<>();
    for (Task t : dag.tasks()) {
      if (t.upstream().contains(task.taskId()) && states.containsKey(t.taskId())) {
        downstream.add(states.get(t.taskId()));
      }
    }
    TaskInstanceState own = states.get(task.taskId());
    return new PastFacts(
        dag.catchup(),
        taskStart,
        new PastRun(previous.get().logicalDate(), own, downstream),
        own != null);
  }
}
