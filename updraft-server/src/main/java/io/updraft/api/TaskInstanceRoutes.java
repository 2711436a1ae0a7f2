package io.updraft.api;

import io.javalin.http.Context;
import io.updraft.scheduler.ClearTasks;
import io.updraft.scheduler.DagActions;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.DagRunRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.Database;
import io.updraft.store.TaskInstanceFilter;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import io.updraft.store.TaskInstanceTries;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code .../dagRuns/{dag_run_id}/taskInstances}: the task instances of a run (or, with {@code ~}
 * for the DAG or the run, of all), one task instance, its tries, and marking it by hand through
 * {@link DagActions#markTaskInstance}, the code {@code tasks set-state} runs.
 */
final class TaskInstanceRoutes {
  private TaskInstanceRoutes() {}

  static final String BASE = "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances";

  public record TaskInstanceResponse(
      String id,
      String taskId,
      String dagId,
      String dagRunId,
      int mapIndex,
      String logicalDate,
      String runAfter,
      String startDate,
      String endDate,
      Double duration,
      String state,
      int tryNumber,
      int maxTries,
      String taskDisplayName,
      String hostname,
      String pool,
      int poolSlots,
      String queue,
      int priorityWeight,
      String operator,
      String queuedWhen,
      Integer pid) {}

  public record TaskInstanceCollection(
      List<TaskInstanceResponse> taskInstances, int totalEntries) {}

  /** One try, as Airflow's task instance history entry. */
  public record TaskInstanceTryResponse(
      String taskId,
      String dagId,
      String dagRunId,
      int mapIndex,
      String startDate,
      String endDate,
      Double duration,
      String state,
      int tryNumber,
      int maxTries,
      String taskDisplayName,
      String hostname,
      String pool,
      int poolSlots,
      String queue,
      int priorityWeight,
      String operator) {}

  public record TaskInstanceTryCollection(
      List<TaskInstanceTryResponse> taskInstances, int totalEntries) {}

  /** Airflow's {@code PATCH .../taskInstances/{task_id}} body. */
  public record PatchTaskInstanceBody(
      String newState, Boolean dryRun, Boolean includeUpstream, Boolean includeDownstream) {
    public PatchTaskInstanceBody {
      if (newState == null) {
        throw ApiException.unprocessable("new_state: required (success, failed or skipped)");
      }
      state(newState);
    }

    TaskInstanceState state() {
      return state(newState);
    }

    private static TaskInstanceState state(String text) {
      return TaskInstanceState.fromId(text)
          .filter(DagActions.MARKABLE::contains)
          .orElseThrow(
              () ->
                  ApiException.unprocessable(
                      "new_state: '" + text + "' is not one of success, failed, skipped"));
    }
  }

  static List<Route> routes(Database db, Clock clock) {
    return List.of(
        Route.get(
                BASE,
                Role.VIEWER,
                "List task instances",
                TaskInstanceCollection.class,
                (ctx, caller) -> list(db, ctx))
            .withQuery("limit", "integer", "at most this many (default 50, at most 100)")
            .withQuery("offset", "integer", "skip this many")
            .withQuery("order_by", "string", "task_id (default), start_date, state, ...; -: desc")
            .withQuery("state", "string", "only these states (repeat or comma-separate; none)")
            .withQuery("task_id", "string", "only this task")
            .withQuery("pool", "string", "only this pool")
            .withQuery("queue", "string", "only this queue"),
        Route.get(
                BASE + "/{task_id}/tries",
                Role.VIEWER,
                "List the tries of a task instance",
                TaskInstanceTryCollection.class,
                (ctx, caller) -> tries(db, ctx, mapIndex(ctx)))
            .withQuery("map_index", "integer", "the mapped instance (default -1: unmapped)"),
        Route.get(
            BASE + "/{task_id}",
            Role.VIEWER,
            "Get a task instance",
            TaskInstanceResponse.class,
            (ctx, caller) -> one(db, ctx, -1)),
        Route.get(
            BASE + "/{task_id}/{map_index}",
            Role.VIEWER,
            "Get a mapped task instance",
            TaskInstanceResponse.class,
            (ctx, caller) -> one(db, ctx, pathMapIndex(ctx))),
        Route.patch(
                BASE + "/{task_id}",
                Role.USER,
                "Set a task instance's state",
                PatchTaskInstanceBody.class,
                TaskInstanceCollection.class,
                (ctx, caller) -> {
                  PatchTaskInstanceBody body = Bodies.read(ctx, PatchTaskInstanceBody.class);
                  int mapIndex = mapIndex(ctx);
                  TaskInstanceRow ti = require(db, ctx, mapIndex);
                  boolean dryRun = Boolean.TRUE.equals(body.dryRun());
                  List<ClearTasks.Instance> set =
                      DagActions.markTaskInstance(
                          db,
                          ti.dagId(),
                          ti.runId(),
                          ti.taskId(),
                          mapIndex,
                          body.state(),
                          Boolean.TRUE.equals(body.includeUpstream()),
                          Boolean.TRUE.equals(body.includeDownstream()),
                          dryRun,
                          caller.username(),
                          clock.instant());
                  List<TaskInstanceResponse> out = responses(db, ti.dagId(), set);
                  return new TaskInstanceCollection(out, out.size());
                })
            .withQuery("map_index", "integer", "the mapped instance (default -1: unmapped)"));
  }

  private static TaskInstanceCollection list(Database db, Context ctx) {
    Paging paging =
        Paging.of(ctx, "task_id", List.copyOf(TaskInstanceRepository.PAGE_ORDERS.keySet()));
    String dagId = ctx.pathParam("dag_id");
    String runId = ctx.pathParam("dag_run_id");
    if (!DagRunRoutes.ALL.equals(dagId)) {
      DagRoutes.require(db, dagId);
      if (!DagRunRoutes.ALL.equals(runId)) {
        DagRunRoutes.require(db, dagId, runId);
      }
    }
    TaskInstanceFilter filter =
        new TaskInstanceFilter(
            DagRunRoutes.ALL.equals(dagId) ? null : dagId,
            DagRunRoutes.ALL.equals(runId) ? null : runId,
            blankToNull(ctx.queryParam("task_id")),
            states(ctx),
            blankToNull(ctx.queryParam("pool")),
            blankToNull(ctx.queryParam("queue")));
    TaskInstanceRepository tis = new TaskInstanceRepository(db);
    List<TaskInstanceRow> page =
        tis.page(filter, paging.orderBy(), paging.descending(), paging.limit(), paging.offset());
    Runs runs = new Runs(db);
    List<TaskInstanceResponse> out =
        page.stream().map(t -> response(t, runs.get(t.dagId(), t.runId()))).toList();
    return new TaskInstanceCollection(out, tis.count(filter));
  }

  private static List<TaskInstanceState> states(Context ctx) {
    List<TaskInstanceState> states = new ArrayList<>();
    for (String value : ctx.queryParams("state")) {
      for (String one : value.split(",")) {
        String s = one.trim();
        if (s.isEmpty()) {
          continue;
        }
        states.add(
            TaskInstanceState.fromId(s.equals("no_status") ? "none" : s)
                .orElseThrow(
                    () ->
                        ApiException.unprocessable(
                            "state: '"
                                + s
                                + "' is not a task instance state (none, scheduled, queued,"
                                + " running, success, failed, ...)")));
      }
    }
    return states;
  }

  private static TaskInstanceResponse one(Database db, Context ctx, int mapIndex) {
    TaskInstanceRow ti = require(db, ctx, mapIndex);
    return response(ti, new Runs(db).get(ti.dagId(), ti.runId()));
  }

  private static TaskInstanceTryCollection tries(Database db, Context ctx, int mapIndex) {
    TaskInstanceRow ti = require(db, ctx, mapIndex);
    List<TaskInstanceTryResponse> out = new ArrayList<>();
    for (TaskInstanceTries.Try t : new TaskInstanceTries(db).all(ti)) {
      out.add(
          new TaskInstanceTryResponse(
              ti.taskId(),
              ti.dagId(),
              ti.runId(),
              ti.mapIndex(),
              Json.instant(t.startDate()),
              Json.instant(t.endDate()),
              t.duration(),
              stateId(t.state()),
              t.tryNumber(),
              ti.maxTries(),
              ti.taskId(),
              t.hostname(),
              ti.pool(),
              ti.poolSlots(),
              ti.queue(),
              ti.priorityWeight(),
              ti.operator()));
    }
    return new TaskInstanceTryCollection(out, out.size());
  }

  /** The {@code map_index} query parameter; -1 (unmapped) when absent. */
  static int mapIndex(Context ctx) {
    int i = Params.integer(ctx, "map_index", -1);
    if (i < -1) {
      throw ApiException.unprocessable("map_index must be -1 or more, not " + i);
    }
    return i;
  }

  private static int pathMapIndex(Context ctx) {
    String text = ctx.pathParam("map_index");
    try {
      int i = Integer.parseInt(text);
      if (i >= -1) {
        return i;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw ApiException.unprocessable(
        "map_index must be a whole number of -1 or more, not '" + text + "'");
  }

  /** The task instance a path names, or a 404 that says which part is missing. */
  static TaskInstanceRow require(Database db, Context ctx, int mapIndex) {
    DagRunRow run = DagRunRoutes.require(db, ctx.pathParam("dag_id"), ctx.pathParam("dag_run_id"));
    String taskId = ctx.pathParam("task_id");
    return new TaskInstanceRepository(db)
        .listForRun(run.dagId(), run.runId()).stream()
            .filter(t -> t.taskId().equals(taskId) && t.mapIndex() == mapIndex)
            .findFirst()
            .orElseThrow(
                () ->
                    ApiException.notFound(
                        "run '"
                            + run.runId()
                            + "' of DAG '"
                            + run.dagId()
                            + "' has no task instance '"
                            + taskId
                            + "'"
                            + (mapIndex < 0 ? "" : " with map_index " + mapIndex)));
  }

  /** The instances an action reports, as they are now (a deleted one is left out). */
  static List<TaskInstanceResponse> responses(
      Database db, String dagId, List<ClearTasks.Instance> instances) {
    Runs runs = new Runs(db);
    Map<String, List<TaskInstanceRow>> byRun = new HashMap<>();
    TaskInstanceRepository tis = new TaskInstanceRepository(db);
    List<TaskInstanceResponse> out = new ArrayList<>();
    for (ClearTasks.Instance i : instances) {
      DagRunRow run = runs.get(dagId, i.runId());
      if (run == null) {
        continue;
      }
      byRun.computeIfAbsent(i.runId(), r -> tis.listForRun(run.dagId(), r)).stream()
          .filter(t -> t.taskId().equals(i.taskId()) && t.mapIndex() == i.mapIndex())
          .findFirst()
          .ifPresent(t -> out.add(response(t, run)));
    }
    return out;
  }

  /** Runs read once per request, by DAG and run id; null for one that is gone. */
  private static final class Runs {
    private final DagRunRepository repo;
    private final Map<String, java.util.Optional<DagRunRow>> byKey = new HashMap<>();

    Runs(Database db) {
      this.repo = new DagRunRepository(db);
    }

    DagRunRow get(String dagId, String runId) {
      return byKey
          .computeIfAbsent(dagId + "\u0000" + runId, k -> repo.get(dagId, runId))
          .orElse(null);
    }
  }

  private static String stateId(TaskInstanceState s) {
    return s == null || s == TaskInstanceState.NONE ? null : s.id();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  static TaskInstanceResponse response(TaskInstanceRow t, DagRunRow run) {
    return new TaskInstanceResponse(
        Long.toString(t.id()),
        t.taskId(),
        t.dagId(),
        t.runId(),
        t.mapIndex(),
        run == null ? null : Json.instant(run.logicalDate()),
        run == null ? null : Json.instant(run.runAfter()),
        Json.instant(t.startDate()),
        Json.instant(t.endDate()),
        t.duration(),
        stateId(t.state()),
        t.tryNumber(),
        t.maxTries(),
        t.taskId(),
        t.hostname(),
        t.pool(),
        t.poolSlots(),
        t.queue(),
        t.priorityWeight(),
        t.operator(),
        Json.instant(t.queuedDttm()),
        t.pid());
  }
}
