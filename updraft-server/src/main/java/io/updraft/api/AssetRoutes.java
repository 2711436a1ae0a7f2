package io.updraft.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.updraft.connections.RedactedJson;
import io.updraft.dag.AssetUris;
import io.updraft.scheduler.AssetActions;
import io.updraft.store.AssetEventRepository;
import io.updraft.store.AssetEventRepository.AssetEventRow;
import io.updraft.store.AssetRepository;
import io.updraft.store.AssetRepository.AssetRow;
import io.updraft.store.AssetRepository.ProducingTask;
import io.updraft.store.Database;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v2/assets}: the assets tasks' outlets name, and their events (SPEC §1.10), in Airflow
 * 3's shapes. Creating an event goes through {@link AssetActions#createEvent}, the code {@code
 * assets create-event} runs, and is audited. Asset-scheduled DAGs are not supported yet, so {@code
 * consuming_dags} and {@code created_dagruns} are always empty.
 */
final class AssetRoutes {
  private static final ObjectMapper PLAIN = new ObjectMapper();

  private AssetRoutes() {}

  public record TaskOutletAssetReference(
      String dagId, String taskId, String createdAt, String updatedAt) {}

  public record AssetResponse(
      long id,
      String name,
      String uri,
      String group,
      Map<String, Object> extra,
      String createdAt,
      String updatedAt,
      List<Object> consumingDags,
      List<TaskOutletAssetReference> producingTasks,
      List<Object> aliases) {}

  public record AssetCollection(List<AssetResponse> assets, int totalEntries) {}

  public record AssetEventResponse(
      long id,
      long assetId,
      String uri,
      String name,
      String group,
      JsonNode extra,
      String sourceTaskId,
      String sourceDagId,
      String sourceRunId,
      int sourceMapIndex,
      List<Object> createdDagruns,
      String timestamp) {}

  public record AssetEventCollection(List<AssetEventResponse> assetEvents, int totalEntries) {}

  /**
   * The body of {@code POST /assets/events}: the asset by {@code asset_id} (Airflow's) or by {@code
   * uri} (one of the two), and the event's {@code extra}, a JSON object (default {@code {}}).
   */
  public record CreateAssetEventBody(Long assetId, String uri, Map<String, Object> extra) {
    public CreateAssetEventBody {
      if ((assetId == null) == (uri == null)) {
        throw ApiException.unprocessable(
            "asset_id or uri: give exactly one of them, to name the asset (GET /api/v2/assets"
                + " lists them)");
      }
      if (uri != null) {
        AssetUris.problem(uri)
            .ifPresent(
                p -> {
                  throw ApiException.unprocessable("uri: " + p);
                });
      }
    }
  }

  static List<Route> routes(Database db, Clock clock) {
    return List.of(
        Route.get(
                "/api/v2/assets",
                Role.VIEWER,
                "List assets",
                AssetCollection.class,
                (ctx, caller) -> list(db, ctx))
            .withQuery("uri_pattern", "string", "only assets whose URI contains this, any case")
            .withQuery("limit", "integer", "at most this many (default 50, at most 100)")
            .withQuery("offset", "integer", "skip this many")
            .withQuery(
                "order_by", "string", "id (default), name, uri, created_at, updated_at; -: desc"),
        Route.get(
                "/api/v2/assets/events",
                Role.VIEWER,
                "List asset events",
                AssetEventCollection.class,
                (ctx, caller) -> events(db, ctx))
            .withQuery("asset_id", "integer", "only this asset's events")
            .withQuery("source_dag_id", "string", "only events of this DAG's tries")
            .withQuery("source_task_id", "string", "only events of this task's tries")
            .withQuery("source_run_id", "string", "only events of this run's tries")
            .withQuery("source_map_index", "integer", "only events of this map index")
            .withQuery("timestamp_gte", "string", "only events at or after this time (ISO-8601)")
            .withQuery("timestamp_lte", "string", "only events at or before this time (ISO-8601)")
            .withQuery("limit", "integer", "at most this many (default 50, at most 100)")
            .withQuery("offset", "integer", "skip this many")
            .withQuery("order_by", "string", "timestamp (default), source_dag_id, ...; -: desc"),
        Route.post(
            "/api/v2/assets/events",
            Role.USER,
            "Create an asset event",
            CreateAssetEventBody.class,
            AssetEventResponse.class,
            (ctx, caller) -> {
              CreateAssetEventBody body = Bodies.read(ctx, CreateAssetEventBody.class);
              AssetRow asset =
                  body.assetId() != null ? require(db, body.assetId()) : byUri(db, body);
              Map<String, Object> extra =
                  body.extra() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(body.extra());
              extra.put("from_rest_api", true); // as Airflow marks an event made through its API
              AssetEventRow event =
                  AssetActions.createEvent(
                      db,
                      asset,
                      PLAIN.writeValueAsString(extra),
                      caller.username(),
                      clock.instant());
              return event(event);
            }),
        Route.get(
            "/api/v2/assets/{asset_id}",
            Role.VIEWER,
            "Get an asset",
            AssetResponse.class,
            (ctx, caller) -> {
              AssetRow a = require(db, pathId(ctx));
              return asset(a, new AssetRepository(db).producingTasks(List.of(a.id())));
            }));
  }

  private static AssetCollection list(Database db, Context ctx) {
    Paging paging = Paging.of(ctx, "id", List.copyOf(AssetRepository.PAGE_ORDERS.keySet()));
    String pattern = ctx.queryParam("uri_pattern");
    AssetRepository assets = new AssetRepository(db);
    List<AssetRow> page =
        assets.page(
            pattern, paging.orderBy(), paging.descending(), paging.limit(), paging.offset());
    Map<Long, List<ProducingTask>> producing =
        assets.producingTasks(page.stream().map(AssetRow::id).toList());
    return new AssetCollection(
        page.stream().map(a -> asset(a, producing)).toList(), assets.count(pattern));
  }

  private static AssetEventCollection events(Database db, Context ctx) {
    Paging paging =
        Paging.of(ctx, "timestamp", List.copyOf(AssetEventRepository.PAGE_ORDERS.keySet()));
    String gte = ctx.queryParam("timestamp_gte");
    String lte = ctx.queryParam("timestamp_lte");
    AssetEventRepository.Filter filter =
        new AssetEventRepository.Filter(
            optionalLong(ctx, "asset_id"),
            null,
            blankToNull(ctx.queryParam("source_dag_id")),
            blankToNull(ctx.queryParam("source_task_id")),
            blankToNull(ctx.queryParam("source_run_id")),
            optionalInt(ctx, "source_map_index"),
            gte == null || gte.isBlank() ? null : Params.instant("timestamp_gte", gte.trim()),
            lte == null || lte.isBlank() ? null : Params.instant("timestamp_lte", lte.trim()));
    AssetEventRepository events = new AssetEventRepository(db);
    List<AssetEventResponse> page =
        events
            .page(filter, paging.orderBy(), paging.descending(), paging.limit(), paging.offset())
            .stream()
            .map(AssetRoutes::event)
            .toList();
    return new AssetEventCollection(page, events.count(filter));
  }

  private static AssetRow require(Database db, long id) {
    return new AssetRepository(db)
        .get(id)
        .orElseThrow(
            () ->
                ApiException.notFound(
                    "there is no asset with id " + id + " (GET /api/v2/assets lists them)"));
  }

  private static AssetRow byUri(Database db, CreateAssetEventBody body) {
    return new AssetRepository(db)
        .getByUri(body.uri())
        .orElseThrow(
            () ->
                ApiException.notFound(
                    "there is no asset '"
                        + body.uri()
                        + "': an asset exists once a DAG names it in a task's outlets"
                        + " (GET /api/v2/assets lists them)"));
  }

  private static long pathId(Context ctx) {
    String text = ctx.pathParam("asset_id");
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw ApiException.unprocessable(
          "asset_id must be a whole number (an asset's id), not '" + text + "'");
    }
  }

  private static Long optionalLong(Context ctx, String name) {
    String text = ctx.queryParam(name);
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw ApiException.unprocessable(name + " must be a whole number, not '" + text + "'");
    }
  }

  private static Integer optionalInt(Context ctx, String name) {
    String text = ctx.queryParam(name);
    return text == null || text.isBlank() ? null : Params.integer(ctx, name, -1);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  static AssetResponse asset(AssetRow a, Map<Long, List<ProducingTask>> producing) {
    return new AssetResponse(
        a.id(),
        a.uri(),
        a.uri(),
        a.group(),
        Map.of(),
        Json.instant(a.createdAt()),
        Json.instant(a.updatedAt()),
        List.of(),
        producing.getOrDefault(a.id(), List.of()).stream()
            .map(
                p ->
                    new TaskOutletAssetReference(
                        p.dagId(),
                        p.taskId(),
                        Json.instant(p.createdAt()),
                        Json.instant(p.updatedAt())))
            .toList(),
        List.of());
  }

  static AssetEventResponse event(AssetEventRow e) {
    return new AssetEventResponse(
        e.id(),
        e.assetId(),
        e.uri(),
        e.uri(),
        e.group(),
        RedactedJson.of(e.extraJson()),
        e.sourceTaskId(),
        e.sourceDagId(),
        e.sourceRunId(),
        e.sourceMapIndex(),
        List.of(),
        Json.instant(e.timestamp()));
  }
}
