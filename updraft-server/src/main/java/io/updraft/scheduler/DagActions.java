package io.updraft.scheduler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.UpdraftException;
import io.updraft.dag.Dag;
import io.updraft.state.DagRunState;
import io.updraft.state.TaskInstanceState;
import io.updraft.state.TaskInstanceTransitions;
import io.updraft.store.CallbackRequestRepository;
import io.updraft.store.ChangeSignals;
import io.updraft.store.DagRepository;
import io.updraft.store.DagRunRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.Database;
import io.updraft.store.DeadlineRepository;
import io.updraft.store.LogRepository;
import io.updraft.store.SerializedDagRepository;
import io.updraft.store.StateChange;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import io.updraft.store.TriggerRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a person does to a DAG, once for every way in: the CLI's {@code dags trigger} and {@code
 * dags pause}, the REST API's {@code POST .../dagRuns} and {@code PATCH /dags/{dag_id}}. Each
 * writes the change, records it in the audit {@code log} with who did it, and wakes the schedulers
 * so they act on it at once rather than at their next pass.
 */
public final class DagActions {
  private static final ObjectMapper AUDIT_JSON = new ObjectMapper();

  private DagActions() {}

  /**
   * Pauses or unpauses a DAG the database knows.
   *
   * @return false when the database has no such DAG (nothing is written)
   */
  public static boolean setPaused(
      Database db, String dagId, boolean paused, String who, Instant now) {
    if (!new DagRepository(db).setPaused(dagId, paused)) {
      return false;
    }
    new LogRepository(db).record(paused ? "pause" : "unpause", dagId, null, null, who, null, now);
    ChangeSignals.announce(db);
    return true;
  }

  /**
   * Creates a manual run on the DAG's newest version (see {@link ManualRuns#trigger}).
   *
   * @param runId null: {@code manual__<logical date>}
   * @param confJson the run's conf as a compact JSON object, or null
   */
  public static DagRunRow trigger(
      Database db,
      String dagId,
      Instant logicalDate,
      String runId,
      String confJson,
      String who,
      Instant now) {
    DagVersions.Versioned latest = versions(db).latest(dagId);
    // The run and its audit row in one transaction, never a run without its record; triggers that
    // arrive while another's commit is written share the next commit (decisions/0160), each behind
    // its own savepoint, so a taken run_id fails only its own request.
    DagRunRow run =
        db.inGroupCommit(
            "triggering " + dagId,
            () -> {
              DagRunRow created = ManualRuns.trigger(db, latest, logicalDate, runId, confJson, now);
              new LogRepository(db)
                  .record("trigger", dagId, null, created.runId(), who, confJson, now);
              // Sent with the group's commit: no NOTIFY transaction per trigger (decisions/0178).
              ChangeSignals.announceWithin(db);
              return created;
            });
    ChangeSignals.announceCommitted(db);
    return run;
  }

  /**
   * Which task instances of a DAG to clear, as Airflow's {@code clearTaskInstances} body and the
   * UI's clear dialog name them.
   *
   * @param runId only this run; null: every run in {@code from}..{@code to}
   * @param taskIds exactly these tasks; null: every task
   * @param upstream also the tasks upstream of those
   * @param downstream also the tasks downstream of those
   * @param onlyFailed only instances that failed or are upstream_failed
   * @param onlyRunning only instances that are running
   * @param from earliest logical date, inclusive; null: no bound
   * @param to latest logical date, inclusive; null: no bound
   */
  public record ClearSpec(
      String runId,
      List<String> taskIds,
      boolean upstream,
      boolean downstream,
      boolean onlyFailed,
      boolean onlyRunning,
      Instant from,
      Instant to) {}

  /**
   * Clears task instances so the scheduler runs them again (the code {@code tasks clear} runs);
   * with {@code dryRun} only says which it would clear. Audited unless a dry run.
   *
   * @return the instances cleared (or that would be), with the states they had
   * @throws NotFoundException no such DAG, run, or task (in the DAG's newest version)
   */
  public static List<ClearTasks.Instance> clear(
      Database db, String dagId, ClearSpec spec, boolean dryRun, String who, Instant now) {
    return clear(db, dagId, spec, true, dryRun, who, now).instances();
  }

  /**
   * {@link #clear(Database, String, ClearSpec, boolean, String, Instant)} with Airflow's {@code
   * reset_dag_runs}: false leaves finished runs as they are (their cleared instances then wait for
   * the run to be queued).
   */
  public static ClearTasks.Report clear(
      Database db,
      String dagId,
      ClearSpec spec,
      boolean resetDagRuns,
      boolean dryRun,
      String who,
      Instant now) {
    if (spec.taskIds() != null) {
      DagVersions.Versioned latest = versions(db).latest(requireDag(db, dagId));
      for (String taskId : spec.taskIds()) {
        if (latest.dag().task(taskId).isEmpty()) {
          throw new NotFoundException("DAG '" + dagId + "' has no task '" + taskId + "'");
        }
      }
    }
    return clear(
        db,
        dagId,
        new ClearTasks.Selection(
            null,
            spec.taskIds() == null ? null : Set.copyOf(spec.taskIds()),
            spec.upstream(),
            spec.downstream(),
            spec.from(),
            spec.to(),
            spec.runId(),
            spec.onlyFailed(),
            spec.onlyRunning(),
            resetDagRuns),
        dryRun,
        who,
        now);
  }

  /**
   * Clears what a {@link ClearTasks.Selection} names (a task regex: {@code tasks clear}); the one
   * path every clear takes. Audited (event {@code clear}) unless a dry run.
   *
   * @throws NotFoundException no such DAG or run
   */
  public static ClearTasks.Report clear(
      Database db,
      String dagId,
      ClearTasks.Selection selection,
      boolean dryRun,
      String who,
      Instant now) {
    requireDag(db, dagId);
    if (selection.runId() != null) {
      requireRun(db, dagId, selection.runId());
    }
    DagVersions versions = versions(db);
    if (dryRun) {
      return new ClearTasks.Report(ClearTasks.preview(db, versions, dagId, selection), 0);
    }
    ClearTasks.Report report =
        db.inTransaction(
            () -> {
              ClearTasks.Report r = ClearTasks.clear(db, versions, dagId, selection, now);
              Map<String, Object> extra = new LinkedHashMap<>();
              putIf(extra, "task_regex", selection.taskRegex());
              putIf(
                  extra,
                  "task_ids",
                  selection.taskIds() == null ? null : sorted(selection.taskIds()));
              putIf(extra, "upstream", selection.upstream());
              putIf(extra, "downstream", selection.downstream());
              putIf(extra, "only_failed", selection.onlyFailed());
              putIf(extra, "only_running", selection.onlyRunning());
              putIf(extra, "start_date", selection.from());
              putIf(extra, "end_date", selection.to());
              if (!selection.resetRuns()) {
                extra.put("reset_dag_runs", false);
              }
              extra.put("cleared", r.instances().size());
              extra.put("runs_queued", r.runs());
              audit(
                  db,
                  "clear",
                  dagId,
                  single(selection.taskIds()),
                  selection.runId(),
                  who,
                  extra,
                  now);
              return r;
            });
    ChangeSignals.announce(db);
    return report;
  }

  /** The task states a person may set on a task instance (Airflow's {@code new_state}). */
  public static final Set<TaskInstanceState> MARKABLE =
      Set.of(TaskInstanceState.SUCCESS, TaskInstanceState.FAILED, TaskInstanceState.SKIPPED);

  /**
   * Sets a task instance's state by hand (Airflow's "mark success/failed"), with its upstream or
   * downstream ones in the same run when asked; with {@code dryRun} only says which it would set.
   *
   * <p>As Airflow's {@code set_task_instance_state}: instances already in the state, and removed
   * ones, are left alone; a running one is set all the same, and its worker ends the try at its
   * next heartbeat, the try's own outcome discarded (decisions/0100). Marked success or skipped,
   * the failed and upstream_failed instances downstream of the task in that run are then cleared,
   * so the run resumes from there (and is queued again if it had finished).
   *
   * @param mapIndex -1 for an unmapped task
   * @return the instances set (or that would be), with the states they had
   * @throws NotFoundException no such DAG, run or task instance
   * @throws UpdraftException a state other than success, failed or skipped
   */
  public static List<ClearTasks.Instance> markTaskInstance(
      Database db,
      String dagId,
      String runId,
      String taskId,
      int mapIndex,
      TaskInstanceState newState,
      boolean upstream,
      boolean downstream,
      boolean dryRun,
      String who,
      Instant now) {
    if (!MARKABLE.contains(newState)) {
      throw new UpdraftException(
          "a task instance may be marked success, failed or skipped, not " + newState.id());
    }
    requireDag(db, dagId);
    DagRunRow run = requireRun(db, dagId, runId);
    TaskInstanceRepository tis = new TaskInstanceRepository(db);
    List<TaskInstanceRow> all = tis.listForRun(dagId, runId);
    if (all.stream().noneMatch(t -> t.taskId().equals(taskId) && t.mapIndex() == mapIndex)) {
      throw new NotFoundException(
          "run '"
              + runId
              + "' of DAG '"
              + dagId
              + "' has no task instance '"
              + taskId
              + "'"
              + (mapIndex < 0 ? "" : " with map_index " + mapIndex));
    }
    Dag dag = versions(db).get(dagId, run.dagHash());
    Set<String> relatives = new HashSet<>();
    if (upstream) {
      relatives.addAll(Relatives.upstream(dag, List.of(taskId)));
    }
    if (downstream) {
      relatives.addAll(Relatives.downstream(dag, List.of(taskId)));
    }
    List<TaskInstanceRow> chosen = new ArrayList<>();
    for (TaskInstanceRow ti : all) {
      boolean target = ti.taskId().equals(taskId) && ti.mapIndex() == mapIndex;
      if ((target || relatives.contains(ti.taskId()))
          && ti.state() != newState
          && TaskInstanceTransitions.isAllowed(ti.state(), newState)) {
        chosen.add(ti);
      }
    }
    if (dryRun) {
      return instances(chosen, Set.copyOf(chosen.stream().map(TaskInstanceRow::id).toList()));
    }
    List<ClearTasks.Instance> marked =
        db.inTransaction(
            () -> {
              Set<Long> changed =
                  tis.setStates(
                      chosen.stream()
                          .map(t -> new StateChange(t.id(), t.state(), newState))
                          .toList(),
                      now);
              List<ClearTasks.Instance> done = instances(chosen, changed);
              int resumed = 0;
              if (newState != TaskInstanceState.FAILED) {
                Set<String> after = Relatives.downstream(dag, List.of(taskId));
                after.removeAll(
                    done.stream().map(ClearTasks.Instance::taskId).collect(Collectors.toSet()));
                if (!after.isEmpty()) {
                  resumed =
                      ClearTasks.clear(
                              db,
                              versions(db),
                              dagId,
                              new ClearTasks.Selection(
                                  null, after, false, false, null, null, runId, true, false, true),
                              now)
                          .instances()
                          .size();
                }
              }
              Map<String, Object> extra = new LinkedHashMap<>();
              extra.put("new_state", newState.id());
              if (mapIndex >= 0) {
                extra.put("map_index", mapIndex);
              }
              putIf(extra, "upstream", upstream);
              putIf(extra, "downstream", downstream);
              extra.put("marked", done.size());
              if (resumed > 0) {
                extra.put("downstream_cleared", resumed);
              }
              audit(db, "mark_" + newState.id(), dagId, taskId, runId, who, extra, now);
              return done;
            });
    ChangeSignals.announce(db);
    return marked;
  }

  /** The states a person may set on a run. */
  public static final Set<DagRunState> RUN_MARKABLE =
      Set.of(DagRunState.SUCCESS, DagRunState.FAILED, DagRunState.QUEUED);

  /**
   * Sets a run's state by hand: success or failed (its unfinished task instances with it, as
   * Airflow's), or queued (runs it again from its task instances' states).
   *
   * <p>As Airflow's {@code set_dag_run_state_to_success}: every task instance not already success
   * (removed ones aside) becomes success. {@code _to_failed}: running, deferred and
   * up_for_reschedule instances become failed, the other unfinished ones skipped; finished ones
   * keep their state. {@code _to_queued}: only the run's state. A running try whose instance is set
   * is ended by its worker at its next heartbeat. Marking a run the state it has still sets its
   * task instances.
   *
   * @return false when the DAG has no such run
   * @throws UpdraftException a state other than success, failed or queued
   * @throws ConflictException the run's state changed while this was written; try again
   */
  public static boolean markRun(
      Database db, String dagId, String runId, DagRunState newState, String who, Instant now) {
    if (!RUN_MARKABLE.contains(newState)) {
      throw new UpdraftException(
          "a run may be marked success, failed or queued, not " + newState.id());
    }
    DagRunRepository runs = new DagRunRepository(db);
    TaskInstanceRepository tis = new TaskInstanceRepository(db);
    Boolean done =
        db.inTransaction(
            () -> {
              DagRunRow run = runs.get(dagId, runId).orElse(null);
              if (run == null) {
                return false;
              }
              List<StateChange> changes = new ArrayList<>();
              for (TaskInstanceRow ti : tis.listForRun(dagId, runId)) {
                TaskInstanceState to = markedWithRun(ti.state(), newState);
                if (to != null && to != ti.state()) {
                  changes.add(new StateChange(ti.id(), ti.state(), to));
                }
              }
              int changed = tis.setStates(changes, now).size();
              if (run.state() != newState && !runs.setState(run.id(), run.state(), newState, now)) {
                throw new ConflictException(
                    "run '"
                        + runId
                        + "' of DAG '"
                        + dagId
                        + "' changed state while it was being marked: try again");
              }
              Map<String, Object> extra = new LinkedHashMap<>();
              extra.put("previous_state", run.state().id());
              extra.put("task_instances_set", changed);
              audit(db, "dagrun_" + newState.id(), dagId, null, runId, who, extra, now);
              return true;
            });
    if (done) {
      ChangeSignals.announce(db);
    }
    return done;
  }

  /** What a task instance becomes when its run is marked {@code run}; null: it stays. */
  private static TaskInstanceState markedWithRun(TaskInstanceState ti, DagRunState run) {
    return switch (run) {
      case SUCCESS -> ti == TaskInstanceState.REMOVED ? null : TaskInstanceState.SUCCESS;
      case FAILED ->
          switch (ti) {
            case RUNNING, DEFERRED, UP_FOR_RESCHEDULE -> TaskInstanceState.FAILED;
            case NONE, SCHEDULED, QUEUED, UP_FOR_RETRY, RESTARTING -> TaskInstanceState.SKIPPED;
            default -> null;
          };
      case QUEUED, RUNNING -> null;
    };
  }

  /**
   * Deletes a run with its task instances, XComs and other rows (not its log files): in one
   * transaction its triggers, callbacks and deadline, then the run, whose task instances, tries,
   * XComs and reschedules go with it. A try still running is ended by its worker at its next
   * heartbeat, when it finds its task instance gone.
   *
   * @return false when the DAG has no such run
   */
  public static boolean deleteRun(
      Database db, String dagId, String runId, String who, Instant now) {
    DagRunRepository runs = new DagRunRepository(db);
    Boolean deleted =
        db.inTransaction(
            () -> {
              DagRunRow run = runs.get(dagId, runId).orElse(null);
              if (run == null) {
                return false;
              }
              int instances = new TaskInstanceRepository(db).listForRun(dagId, runId).size();
              new TriggerRepository(db).deleteForRun(dagId, runId);
              new CallbackRequestRepository(db).deleteForRun(dagId, runId);
              new DeadlineRepository(db).deleteForRun(dagId, runId);
              runs.delete(run.id());
              Map<String, Object> extra = new LinkedHashMap<>();
              extra.put("state", run.state().id());
              extra.put("task_instances", instances);
              audit(db, "delete_dag_run", dagId, null, runId, who, extra, now);
              return true;
            });
    if (deleted) {
      ChangeSignals.announce(db);
    }
    return deleted;
  }

  /** No such DAG, run, task or task instance: the API's 404. */
  public static final class NotFoundException extends UpdraftException {
    public NotFoundException(String message) {
      super(message);
    }
  }

  /** Someone else changed what was being written: the API's 409. Nothing was written. */
  public static final class ConflictException extends UpdraftException {
    public ConflictException(String message) {
      super(message);
    }
  }

  private static String requireDag(Database db, String dagId) {
    if (new DagRepository(db).get(dagId).isEmpty()) {
      throw new NotFoundException("no DAG '" + dagId + "'");
    }
    return dagId;
  }

  private static DagRunRow requireRun(Database db, String dagId, String runId) {
    return new DagRunRepository(db)
        .get(dagId, runId)
        .orElseThrow(() -> new NotFoundException("DAG '" + dagId + "' has no run '" + runId + "'"));
  }

  /**
   * Parsed DAG versions per database, kept while the database is open: a version never changes, and
   * parsing it for every trigger of a burst was most of a trigger's CPU.
   */
  private static final Map<Database, DagVersions> VERSIONS =
      java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

  private static DagVersions versions(Database db) {
    return VERSIONS.computeIfAbsent(db, d -> new DagVersions(new SerializedDagRepository(d)));
  }

  private static List<ClearTasks.Instance> instances(List<TaskInstanceRow> rows, Set<Long> ids) {
    return rows.stream()
        .filter(t -> ids.contains(t.id()))
        .map(t -> new ClearTasks.Instance(t.runId(), t.taskId(), t.mapIndex(), t.state()))
        .toList();
  }

  private static void putIf(Map<String, Object> extra, String key, Object value) {
    if (value != null && !Boolean.FALSE.equals(value)) {
      extra.put(key, value instanceof Instant i ? i.toString() : value);
    }
  }

  private static List<String> sorted(Set<String> ids) {
    return ids.stream().sorted().toList();
  }

  private static String single(Set<String> taskIds) {
    return taskIds != null && taskIds.size() == 1 ? taskIds.iterator().next() : null;
  }

  private static void audit(
      Database db,
      String event,
      String dagId,
      String taskId,
      String runId,
      String who,
      Map<String, Object> extra,
      Instant now) {
    String json;
    try {
      json = AUDIT_JSON.writeValueAsString(extra);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("audit extra of " + event + " is not JSON", e);
    }
    new LogRepository(db).record(event, dagId, taskId, runId, who, json, now);
  }
}
