package io.updraft.api;

import io.updraft.state.TaskInstanceState;
import io.updraft.store.DagRunRow;
import io.updraft.store.Database;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** {@code .../dagRuns/{dag_run_id}/taskInstances}: the task instances of one run. */
final class TaskInstanceRoutes {
  private TaskInstanceRoutes() {}

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

  private static final Map<String, Comparator<TaskInstanceResponse>> ORDERS =
      Map.of(
          "task_id",
              Comparator.comparing(TaskInstanceResponse::taskId)
                  .thenComparing(TaskInstanceResponse::mapIndex),
          "map_index", Comparator.comparing(TaskInstanceResponse::mapIndex),
          "start_date",
              Comparator.comparing(
                  TaskInstanceResponse::startDate, Comparator.nullsLast(Comparator.naturalOrder())),
          "state",
              Comparator.comparing(
                  TaskInstanceResponse::state, Comparator.nullsFirst(Comparator.naturalOrder())),
          "priority_weight", Comparator.comparing(TaskInstanceResponse::priorityWeight));

  static List<Route> routes(Database db) {
    return List.of(
        Route.get(
                "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances",
                Role.VIEWER,
                "List the task instances of a run",
                TaskInstanceCollection.class,
                (ctx, caller) -> {
                  Paging paging = Paging.of(ctx, "task_id", List.copyOf(ORDERS.keySet()));
                  DagRunRow run =
                      DagRunRoutes.require(
                          db, ctx.pathParam("dag_id"), ctx.pathParam("dag_run_id"));
                  List<TaskInstanceResponse> all =
                      new TaskInstanceRepository(db)
                          .listForRun(run.dagId(), run.runId()).stream()
                              .map(t -> response(t, run))
                              .toList();
                  return new TaskInstanceCollection(paging.page(all, ORDERS), all.size());
                })
            .withQuery("limit", "integer", "at most this many (default 50, at most 100)")
            .withQuery("offset", "integer", "skip this many")
            .withQuery("order_by", "string", "task_id (default), start_date, state, ...; -: desc"));
  }

  private static TaskInstanceResponse response(TaskInstanceRow t, DagRunRow run) {
    return new TaskInstanceResponse(
        Long.toString(t.id()),
        t.taskId(),
        t.dagId(),
        t.runId(),
        t.mapIndex(),
        Json.instant(run.logicalDate()),
        Json.instant(run.runAfter()),
        Json.instant(t.startDate()),
        Json.instant(t.endDate()),
        t.duration(),
        t.state() == TaskInstanceState.NONE ? null : t.state().id(),
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
