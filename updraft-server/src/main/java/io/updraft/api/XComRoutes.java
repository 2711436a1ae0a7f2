package io.updraft.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.store.DagRunRow;
import io.updraft.store.Database;
import io.updraft.store.TaskInstanceRow;
import io.updraft.store.XComRepository;
import java.util.List;

/**
 * {@code .../taskInstances/{task_id}/xcomEntries}: the values a task instance pushed, and one by
 * key, as Airflow 3's XCom entries (the value as the JSON it was stored as).
 */
final class XComRoutes {
  private static final ObjectMapper PLAIN = new ObjectMapper();

  private XComRoutes() {}

  public record XComResponse(
      String key,
      String timestamp,
      String logicalDate,
      int mapIndex,
      String taskId,
      String dagId,
      String runId,
      JsonNode value) {}

  public record XComCollection(List<XComResponse> xcomEntries, int totalEntries) {}

  static List<Route> routes(Database db) {
    return List.of(
        Route.get(
                TaskInstanceRoutes.BASE + "/{task_id}/xcomEntries",
                Role.VIEWER,
                "List a task instance's XComs",
                XComCollection.class,
                (ctx, caller) -> {
                  int mapIndex = TaskInstanceRoutes.mapIndex(ctx);
                  Paging paging = Paging.of(ctx, "key", List.of("key"));
                  TaskInstanceRow ti = TaskInstanceRoutes.require(db, ctx, mapIndex);
                  List<XComResponse> all =
                      new XComRepository(db)
                          .entries(ti.dagId(), ti.runId(), ti.taskId(), ti.mapIndex()).stream()
                              .map(e -> response(db, ti, e))
                              .toList();
                  return new XComCollection(
                      paging.page(
                          all,
                          java.util.Map.of(
                              "key", java.util.Comparator.comparing(XComResponse::key))),
                      all.size());
                })
            .withQuery("map_index", "integer", "the mapped instance (default -1: unmapped)")
            .withQuery("limit", "integer", "at most this many (default 50, at most 100)")
            .withQuery("offset", "integer", "skip this many"),
        Route.get(
                TaskInstanceRoutes.BASE + "/{task_id}/xcomEntries/{xcom_key}",
                Role.VIEWER,
                "Get an XCom",
                XComResponse.class,
                (ctx, caller) -> {
                  int mapIndex = TaskInstanceRoutes.mapIndex(ctx);
                  TaskInstanceRow ti = TaskInstanceRoutes.require(db, ctx, mapIndex);
                  String key = ctx.pathParam("xcom_key");
                  return new XComRepository(db)
                      .entries(ti.dagId(), ti.runId(), ti.taskId(), ti.mapIndex()).stream()
                          .filter(e -> e.key().equals(key))
                          .findFirst()
                          .map(e -> response(db, ti, e))
                          .orElseThrow(
                              () ->
                                  ApiException.notFound(
                                      ti.taskId()
                                          + " in run '"
                                          + ti.runId()
                                          + "' has no XCom '"
                                          + key
                                          + "'"));
                })
            .withQuery("map_index", "integer", "the mapped instance (default -1: unmapped)"));
  }

  private static XComResponse response(Database db, TaskInstanceRow ti, XComRepository.Entry e) {
    DagRunRow run = DagRunRoutes.require(db, ti.dagId(), ti.runId());
    return new XComResponse(
        e.key(),
        Json.instant(e.timestamp()),
        Json.instant(run.logicalDate()),
        ti.mapIndex(),
        ti.taskId(),
        ti.dagId(),
        ti.runId(),
        value(e.valueJson()));
  }

  private static JsonNode value(String json) {
    if (json == null) {
      return null;
    }
    try {
      return PLAIN.readTree(json);
    } catch (JsonProcessingException e) {
      return PLAIN.getNodeFactory().textNode(json); // stored as text, not JSON: shown as it is
    }
  }
}
