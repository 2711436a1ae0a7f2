package io.updraft.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.updraft.UpdraftException;
import io.updraft.dag.Dag;
import io.updraft.dag.Task;
import io.updraft.scheduler.DagVersions;
import io.updraft.store.Database;
import io.updraft.store.SerializedDagRepository;
import io.updraft.store.StoredDag;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v2/dags/{dag_id}/details} and {@code .../tasks}: what the newest serialized
 * version of a DAG says — its schedule settings, params and tasks with their upstream and
 * downstream — in Airflow's field names. Read from {@code serialized_dag}, never from the file.
 */
final class DagDetailsRoutes {
  private DagDetailsRoutes() {}

  /**
   * A duration as Airflow's API writes one ({@code {"__type": "TimeDelta", "days", "seconds",
   * "microseconds"}}).
   */
  public record TimeDelta(
      @JsonProperty("__type") String type, long days, int seconds, int microseconds) {
    static TimeDelta of(Duration d) {
      if (d == null) {
        return null;
      }
      long days = d.toDays();
      Duration rest = d.minusDays(days);
      return new TimeDelta("TimeDelta", days, (int) rest.toSeconds(), rest.toNanosPart() / 1000);
    }
  }

  public record DagVersionResponse(
      int versionNumber, String dagId, String bundleName, String createdAt) {}

  public record DagDetailsResponse(
      String dagId,
      String dagDisplayName,
      boolean isPaused,
      boolean isStale,
      String lastParsedTime,
      String fileloc,
      String description,
      String timetableSummary,
      List<DagRoutes.DagTag> tags,
      int maxActiveTasks,
      Integer maxActiveRuns,
      boolean hasImportErrors,
      String nextDagrunLogicalDate,
      String nextDagrunDataIntervalStart,
      String nextDagrunDataIntervalEnd,
      String nextDagrunRunAfter,
      List<String> owners,
      boolean catchup,
      TimeDelta dagRunTimeout,
      String startDate,
      String endDate,
      String timezone,
      Map<String, Object> params,
      String bundleName,
      DagVersionResponse latestDagVersion) {}

  public record TaskResponse(
      String taskId,
      String taskDisplayName,
      String owner,
      String startDate,
      String endDate,
      String triggerRule,
      boolean dependsOnPast,
      boolean waitForDownstream,
      int retries,
      String queue,
      String pool,
      int poolSlots,
      TimeDelta executionTimeout,
      TimeDelta retryDelay,
      boolean retryExponentialBackoff,
      int priorityWeight,
      String weightRule,
      List<String> downstreamTaskIds,
      String docMd,
      String operatorName,
      Map<String, Object> params,
      boolean isMapped) {}

  public record TaskCollection(List<TaskResponse> tasks, int totalEntries) {}

  static List<Route> routes(Database db) {
    return List.of(
        Route.get(
            "/api/v2/dags/{dag_id}/details",
            Role.VIEWER,
            "Get a DAG's details from its newest version",
            DagDetailsResponse.class,
            (ctx, caller) -> details(db, ctx.pathParam("dag_id"))),
        Route.get(
                "/api/v2/dags/{dag_id}/tasks",
                Role.VIEWER,
                "List a DAG's tasks",
                TaskCollection.class,
                (ctx, caller) -> {
                  Dag dag = latest(db, ctx.pathParam("dag_id")).dag();
                  String order = ctx.queryParam("order_by");
                  List<TaskResponse> tasks = new ArrayList<>(tasks(dag));
                  if (order != null && !order.isBlank()) {
                    boolean desc = order.trim().startsWith("-");
                    String field = desc ? order.trim().substring(1) : order.trim();
                    if (!field.equals("task_id")) {
                      throw ApiException.badRequest(
                          "order_by: cannot order tasks by '"
                              + field
                              + "'; use task_id (with a leading - for descending), or none for"
                              + " the order the DAG declares them in");
                    }
                    Comparator<TaskResponse> c = Comparator.comparing(TaskResponse::taskId);
                    tasks.sort(desc ? c.reversed() : c);
                  }
                  return new TaskCollection(tasks, tasks.size());
                })
            .withQuery("order_by", "string", "task_id; -task_id: desc (default: as declared)"),
        Route.get(
            "/api/v2/dags/{dag_id}/tasks/{task_id}",
            Role.VIEWER,
            "Get a task of a DAG",
            TaskResponse.class,
            (ctx, caller) -> {
              String dagId = ctx.pathParam("dag_id");
              String taskId = ctx.pathParam("task_id");
              return tasks(latest(db, dagId).dag()).stream()
                  .filter(t -> t.taskId().equals(taskId))
                  .findFirst()
                  .orElseThrow(
                      () ->
                          ApiException.notFound(
                              "DAG '"
                                  + dagId
                                  + "' has no task '"
                                  + taskId
                                  + "' (GET /api/v2/dags/"
                                  + dagId
                                  + "/tasks lists them)"));
            }));
  }

  private record Latest(Dag dag, StoredDag stored) {}

  private static Latest latest(Database db, String dagId) {
    DagRoutes.require(db, dagId);
    SerializedDagRepository serialized = new SerializedDagRepository(db);
    StoredDag stored =
        serialized
            .latest(dagId)
            .orElseThrow(
                () ->
                    ApiException.notFound(
                        "DAG '" + dagId + "' has no serialized version yet (is it parsed?)"));
    try {
      return new Latest(new DagVersions(serialized).get(dagId, stored.hash()), stored);
    } catch (UpdraftException e) {
      throw ApiException.notFound("DAG '" + dagId + "' cannot be read: " + e.getMessage());
    }
  }

  private static DagDetailsResponse details(Database db, String dagId) {
    DagRoutes.DagResponse d = DagRoutes.response(db, DagRoutes.require(db, dagId));
    Latest latest = latest(db, dagId);
    Dag dag = latest.dag();
    return new DagDetailsResponse(
        d.dagId(),
        d.dagDisplayName(),
        d.isPaused(),
        d.isStale(),
        d.lastParsedTime(),
        d.fileloc(),
        d.description(),
        d.timetableSummary(),
        d.tags(),
        d.maxActiveTasks(),
        d.maxActiveRuns(),
        d.hasImportErrors(),
        d.nextDagrunLogicalDate(),
        d.nextDagrunDataIntervalStart(),
        d.nextDagrunDataIntervalEnd(),
        d.nextDagrunRunAfter(),
        d.owners(),
        dag.catchup(),
        TimeDelta.of(dag.dagrunTimeout()),
        Json.instant(dag.startDate()),
        Json.instant(dag.endDate()),
        dag.timezone().getId(),
        new LinkedHashMap<>(dag.params()),
        ImportErrorRoutes.BUNDLE,
        new DagVersionResponse(
            latest.stored().versionNumber(),
            dagId,
            ImportErrorRoutes.BUNDLE,
            Json.instant(latest.stored().createdAt())));
  }

  /** The tasks as declared, each with the tasks that name it upstream. */
  static List<TaskResponse> tasks(Dag dag) {
    Map<String, List<String>> downstream = new LinkedHashMap<>();
    for (Task t : dag.tasks()) {
      downstream.putIfAbsent(t.taskId(), new ArrayList<>());
      for (String up : t.upstream()) {
        downstream.computeIfAbsent(up, k -> new ArrayList<>()).add(t.taskId());
      }
    }
    return dag.tasks().stream()
        .map(
            t ->
                new TaskResponse(
                    t.taskId(),
                    t.taskId(),
                    t.owner(),
                    Json.instant(t.startDate()),
                    Json.instant(t.endDate()),
                    t.triggerRule().id(),
                    t.dependsOnPast(),
                    t.waitForDownstream(),
                    t.retries(),
                    t.queue(),
                    t.pool(),
                    t.poolSlots(),
                    TimeDelta.of(t.executionTimeout()),
                    TimeDelta.of(t.retryDelay()),
                    t.retryExponentialBackoff(),
                    t.priorityWeight(),
                    t.weightRule().id(),
                    downstream.get(t.taskId()).stream().sorted().toList(),
                    t.doc(),
                    t.operator(),
                    new LinkedHashMap<>(dag.params()),
                    false))
        .toList();
  }
}
