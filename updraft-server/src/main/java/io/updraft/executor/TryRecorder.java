package io.updraft.executor;

import io.updraft.callbacks.CallbackRequests;
import io.updraft.dag.Dag;
import io.updraft.dag.Task;
import io.updraft.metrics.TaskMetrics;
import io.updraft.scheduler.DownstreamSkips;
import io.updraft.scheduler.FailedTries;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.AssetEventRepository;
import io.updraft.store.CallbackRequestRepository;
import io.updraft.store.CallbackRequestRepository.NewCallback;
import io.updraft.store.DagRunRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.Database;
import io.updraft.store.TaskInstanceDeferrals;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import io.updraft.store.TaskInstanceTries;
import io.updraft.store.XComRepository;
import io.updraft.worker.Downstream;
import io.updraft.worker.Pause;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The two writes around a try, whoever runs it (the local executor, the execution API for a remote
 * worker or a pod): its start — queued to running, counting the try — and its end — the outcome,
 * with retries, callbacks, the return value as XCom, asset events and downstream skips, in one
 * transaction each. Both are group commits (decisions/0160): tries that start or end while
 * another's commit is being written share the next one, each behind its own savepoint.
 */
public final class TryRecorder {

  /**
   * What {@link #record} did.
   *
   * @param state the state the try ended its instance in; null when it paused, was handed back, or
   *     its instance had moved on (its new state stands)
   * @param handedBack whether the try was handed back to run again at once, at no cost to its
   *     retries (a stop ended it)
   */
  public record Recorded(TaskInstanceState state, boolean handedBack) {
    static final Recorded NOTHING = new Recorded(null, false);
    static final Recorded HANDED_BACK = new Recorded(null, true);
  }

  /** A try {@link #startAll} started. */
  public record Started(DagRunRow run, Dag dag, Task task, TaskInstanceRow ti) {}

  private final Database database;
  private final DagRunRepository runs;
  private final TaskInstanceRepository taskInstances;
  private final TaskInstanceTries tries;
  private final TaskInstanceDeferrals deferrals;
  private final XComRepository xcoms;
  private final CallbackRequestRepository callbacks;
  private final AssetEventRepository assetEvents;

  public TryRecorder(Database database) {
    this.database = database;
    this.runs = new DagRunRepository(database);
    this.taskInstances = new TaskInstanceRepository(database);
    this.tries = new TaskInstanceTries(database);
    this.deferrals = new TaskInstanceDeferrals(database);
    this.xcoms = new XComRepository(database);
    this.callbacks = new CallbackRequestRepository(database);
    this.assetEvents = new AssetEventRepository(database);
  }

  /**
   * Queued to running on {@code hostname}/{@code pid}, with the task's on_execute callbacks written
   * in the same transaction; returns the instance as started (its try number is this try's), read
   * in that transaction, or empty if the instance is no longer queued (cleared, rescheduled).
   */
  public Optional<TaskInstanceRow> start(
      TaskInstanceRow queued, DagRunRow run, Task task, String hostname, int pid, Instant now) {
    return database.inGroupCommit(
        "starting a try of " + queued.taskId(),
        () -> {
          if (!tries.start(queued.id(), hostname, pid, now)) {
            return Optional.<TaskInstanceRow>empty();
          }
          callbacks.add(onExecute(run, task, queued), now);
          return taskInstances.get(queued.id());
        });
  }

  /**
   * {@link #start(TaskInstanceRow, DagRunRow, Task, String, int, Instant)} for a worker that has
   * only the queued rows (the local executor), for the instances a scheduler pass handed over
   * together, in one transaction whatever their number (decisions/0192): their runs read with one
   * statement per DAG, {@code versionOf} giving each run's DAG version, their tries started with
   * one statement and read back with one, and their on_execute callbacks written with one batch.
   * Returns the tries it started, by task instance id; an instance whose run was deleted, whose
   * run's version has no such task, or that is no longer queued is absent, with nothing written for
   * it.
   */
  public Map<Long, Started> startAll(
      List<TaskInstanceRow> queued,
      Function<DagRunRow, Dag> versionOf,
      String hostname,
      int pid,
      Instant now) {
    return database.inGroupCommit(
        "starting " + queued.size() + " tries",
        () -> {
          Map<Long, Started> startable = new LinkedHashMap<>();
          Map<String, List<TaskInstanceRow>> byDag = new LinkedHashMap<>();
          queued.forEach(ti -> byDag.computeIfAbsent(ti.dagId(), d -> new ArrayList<>()).add(ti));
          for (Map.Entry<String, List<TaskInstanceRow>> e : byDag.entrySet()) {
            Map<String, DagRunRow> runOf =
                runs.getAll(e.getKey(), e.getValue().stream().map(TaskInstanceRow::runId).toList());
            for (TaskInstanceRow ti : e.getValue()) {
              DagRunRow run = runOf.get(ti.runId());
              if (run == null) {
                continue;
              }
              Dag dag = versionOf.apply(run);
              dag.task(ti.taskId())
                  .ifPresent(t -> startable.put(ti.id(), new Started(run, dag, t, ti)));
            }
          }
          if (startable.isEmpty()) {
            return Map.<Long, Started>of();
          }
          Set<Long> started = tries.startAll(List.copyOf(startable.keySet()), hostname, pid, now);
          if (started.isEmpty()) {
            return Map.<Long, Started>of();
          }
          List<NewCallback> onExecute = new ArrayList<>();
          for (Long id : started) {
            Started s = startable.get(id);
            onExecute.addAll(onExecute(s.run(), s.task(), s.ti()));
          }
          callbacks.add(onExecute, now);
          Map<Long, Started> out = new LinkedHashMap<>();
          for (TaskInstanceRow ti : taskInstances.getAll(List.copyOf(started))) {
            Started s = startable.get(ti.id());
            out.put(ti.id(), new Started(s.run(), s.dag(), s.task(), ti));
          }
          return out;
        });
  }

  /** The on_execute callbacks of the start of {@code queued}'s next try. */
  private static List<NewCallback> onExecute(DagRunRow run, Task task, TaskInstanceRow queued) {
    return CallbackRequests.forTask(
        run.dagId(),
        run.runId(),
        task,
        queued.tryNumber() + 1,
        TaskInstanceState.QUEUED,
        TaskInstanceState.RUNNING,
        null);
  }

  /**
   * Records how try {@code ti.tryNumber()} ended, in one transaction: a failure becomes
   * up_for_retry or failed by the task's retries, a pause becomes up_for_reschedule or deferred;
   * with {@code stopped} (the runner was stopping) a failed try is handed back instead. Nothing is
   * recorded when the instance left running while the try ran, except that a cleared one is
   * retried.
   */
  public Recorded record(
      Dag dag,
      Task task,
      DagRunRow run,
      TaskInstanceRow ti,
      TryRunner.Result result,
      boolean stopped,
      Instant end) {
    Recorded recorded =
        database.inGroupCommit(
            "recording a try of " + ti.taskId(),
            () -> {
              if (stopped && result.state() == TaskInstanceState.FAILED) {
                // Ended by the stop, not by itself: handed back to run again at once.
                if (tries.handBack(ti.id(), ti.tryNumber(), end)) {
                  return Recorded.HANDED_BACK;
                }
                retryIfCleared(task, run, ti, end);
                return Recorded.NOTHING;
              }
              if (result.pause() != null) {
                pause(task, run, ti, result, end);
                return Recorded.NOTHING;
              }
              TaskInstanceState to = finish(dag, task, run, ti, result, end);
              if (to == null) {
                // The instance left running while the try ran: its new state stands, and what the
                // try returned is not kept. Cleared (restarting), it is retried now.
                retryIfCleared(task, run, ti, end);
                return Recorded.NOTHING;
              }
              keepReturnValue(run, ti, result, end);
              return new Recorded(to, false);
            });
    if (recorded.state() != null) {
      TaskMetrics.finished(ti.dagId(), ti.taskId(), recorded.state());
    }
    return recorded;
  }

  /**
   * A try that succeeded with nothing to record beyond its end: what {@link #recordSuccesses}
   * takes.
   */
  public record Success(Task task, DagRunRow run, TaskInstanceRow ti, String returnValueJson) {}

  /**
   * Whether {@link #recordSuccesses} can record this end: a success not cut short by a stop, that
   * neither pauses nor skips downstream tasks, of a task without outlets. Anything else goes
   * through {@link #record}.
   */
  public static boolean isPlainSuccess(Task task, TryRunner.Result result, boolean stopped) {
    return !stopped
        && result.state() == TaskInstanceState.SUCCESS
        && result.pause() == null
        && result.downstream() instanceof Downstream.Proceed
        && task.outlets().isEmpty();
  }

  /**
   * {@link #record} for tries that ended together, each a {@linkplain #isPlainSuccess plain
   * success}, in one transaction with shared statements (decisions/0193): one end for all (per try
   * number), one insert of their history rows, one batch of callbacks and one of XComs. Returns the
   * ids of the instances whose tries it ended; one that left running while its try ran is absent,
   * with nothing written for it: {@link #record} handles it (a cleared one is retried).
   */
  public Set<Long> recordSuccesses(List<Success> successes, Instant end) {
    if (successes.isEmpty()) {
      return Set.of();
    }
    Set<Long> ended =
        database.inGroupCommit(
            "recording " + successes.size() + " successful tries",
            () -> {
              Set<Long> done =
                  tries.finishStartedAll(
                      successes.stream().map(Success::ti).toList(), TaskInstanceState.SUCCESS, end);
              List<NewCallback> onEnd = new ArrayList<>();
              List<XComRepository.Value> values = new ArrayList<>();
              for (Success s : successes) {
                TaskInstanceRow ti = s.ti();
                if (!done.contains(ti.id())) {
                  continue;
                }
                onEnd.addAll(endCallbacks(s.task(), s.run(), ti, TaskInstanceState.SUCCESS, null));
                if (replacesEarlierValue(ti, s.returnValueJson())) {
                  xcoms.clearForTask(ti.dagId(), ti.runId(), ti.taskId());
                }
                if (s.returnValueJson() != null) {
                  values.add(returnValue(s.run(), ti, s.returnValueJson()));
                }
              }
              callbacks.add(onEnd, end);
              xcoms.putAll(values, end);
              return done;
            });
    for (Success s : successes) {
      if (ended.contains(s.ti().id())) {
        TaskMetrics.finished(s.ti().dagId(), s.ti().taskId(), TaskInstanceState.SUCCESS);
      }
    }
    return ended;
  }

  /**
   * The try's return value as its XCom; a retry replaces what the earlier try pushed (Airflow). The
   * first try that returns a value skips the delete (decisions/0184): {@code return_value} is the
   * only key a try stores, and the upsert replaces the one its own deferral may have kept.
   */
  private void keepReturnValue(
      DagRunRow run, TaskInstanceRow ti, TryRunner.Result result, Instant end) {
    if (replacesEarlierValue(ti, result.returnValueJson())) {
      xcoms.clearForTask(ti.dagId(), ti.runId(), ti.taskId());
    }
    if (result.returnValueJson() != null) {
      xcoms.put(returnValue(run, ti, result.returnValueJson()), end);
    }
  }

  /**
   * Whether a try's end deletes its task's earlier XComs before storing its return value: a retry's
   * does, and so does a try without a value; a first try's value replaces through its upsert
   * (decisions/0184).
   */
  private static boolean replacesEarlierValue(TaskInstanceRow ti, String returnValueJson) {
    return ti.tryNumber() > 1 || returnValueJson == null;
  }

  /** A try's return value as its XCom row. */
  private static XComRepository.Value returnValue(
      DagRunRow run, TaskInstanceRow ti, String returnValueJson) {
    return new XComRepository.Value(
        run.id(),
        ti.dagId(),
        ti.runId(),
        ti.taskId(),
        -1,
        XComRepository.RETURN_VALUE,
        returnValueJson);
  }

  /**
   * A try that paused without finishing its instance: a reschedule-mode sensor's check
   * (up_for_reschedule, same try next time) or a wait handed to the triggerer (deferred, its return
   * value kept: {@code trigger_dag}'s run_id is its XCom when the wait ends). No callbacks: the try
   * has not ended, as in Airflow.
   */
  private void pause(
      Task task, DagRunRow run, TaskInstanceRow ti, TryRunner.Result result, Instant end) {
    boolean paused =
        switch (result.pause()) {
          case Pause.Reschedule r ->
              deferrals.reschedule(ti.id(), ti.tryNumber(), ti.startDate(), r.at(), end);
          case Pause.Defer d ->
              deferrals.deferRunning(
                  ti.id(), ti.tryNumber(), d.kind(), d.kwargsJson(), d.timeoutAt(), end);
        };
    if (!paused) {
      retryIfCleared(task, run, ti, end);
      return;
    }
    if (result.pause() instanceof Pause.Defer) {
      keepReturnValue(run, ti, result, end);
    }
  }

  /**
   * Ends the running try as its result says; returns the state it ended in, or null if the instance
   * is no longer running.
   */
  private TaskInstanceState finish(
      Dag dag, Task task, DagRunRow run, TaskInstanceRow ti, TryRunner.Result result, Instant end) {
    if (result.state() == TaskInstanceState.FAILED) {
      FailedTries.Ending e =
          result.retryable()
              ? FailedTries.of(task, ti, end, run.logicalDate())
              : new FailedTries.Ending(TaskInstanceState.FAILED, null);
      if (!tries.finishStarted(ti, e.state(), end, e.nextRetryAt())) {
        return null;
      }
      addCallbacks(task, run, ti, e.state(), result.error(), end);
      return e.state();
    }
    if (!tries.finishStarted(ti, result.state(), end, null)) {
      return null;
    }
    addCallbacks(task, run, ti, result.state(), result.error(), end);
    if (result.state() == TaskInstanceState.SUCCESS && !task.outlets().isEmpty()) {
      // The try's asset events, in the transaction that records its success (no query without).
      assetEvents.recordForTry(
          task.outlets(), ti.dagId(), ti.taskId(), ti.runId(), ti.mapIndex(), end);
    }
    if (result.state() == TaskInstanceState.SUCCESS
        && !(result.downstream() instanceof Downstream.Proceed)) {
      taskInstances.setStates(
          DownstreamSkips.of(
              dag,
              ti.taskId(),
              result.downstream(),
              taskInstances.listForRun(ti.dagId(), ti.runId())),
          end);
    }
    return result.state();
  }

  /** The callbacks of the try's end, in the transaction that records it. */
  private void addCallbacks(
      Task task,
      DagRunRow run,
      TaskInstanceRow ti,
      TaskInstanceState to,
      String error,
      Instant end) {
    callbacks.add(endCallbacks(task, run, ti, to, error), end);
  }

  /** The callbacks of the end of try {@code ti.tryNumber()} in {@code to}. */
  private static List<NewCallback> endCallbacks(
      Task task, DagRunRow run, TaskInstanceRow ti, TaskInstanceState to, String error) {
    return CallbackRequests.forTask(
        run.dagId(), run.runId(), task, ti.tryNumber(), TaskInstanceState.RUNNING, to, error);
  }

  /**
   * A try of an instance cleared while it ran (restarting) is over, however it ended: the instance
   * goes to up_for_retry, to run again at once (Airflow: restarting always retries).
   */
  private void retryIfCleared(Task task, DagRunRow run, TaskInstanceRow ti, Instant end) {
    taskInstances
        .get(ti.id())
        .filter(
            now -> now.state() == TaskInstanceState.RESTARTING && now.tryNumber() == ti.tryNumber())
        .ifPresent(
            cleared -> {
              FailedTries.Ending e = FailedTries.of(task, cleared, end, run.logicalDate());
              tries.finish(
                  cleared.id(), TaskInstanceState.RESTARTING, e.state(), end, e.nextRetryAt());
            });
  }
}
