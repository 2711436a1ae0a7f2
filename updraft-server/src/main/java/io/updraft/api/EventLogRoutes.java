package io.updraft.api;

import io.javalin.http.Context;
import io.updraft.connections.Masking;
import io.updraft.connections.SecretMasker;
import io.updraft.store.Database;
import io.updraft.store.LogRepository;
import io.updraft.store.LogRow;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v2/eventLogs}: the audit {@code log} — who triggered, paused, cleared, changed a pool
 * or a connection, and when — with Airflow's filters. Filtering, ordering and paging happen in SQL
 * ({@link LogRepository#page}): the log grows without bound.
 */
final class EventLogRoutes {
  private EventLogRoutes() {}

  /**
   * One event. {@code extra} is the JSON text the action recorded; {@code logical_date} is null
   * (the log does not keep it: the run id names the run).
   */
  public record EventLogResponse(
      long eventLogId,
      String when,
      String dagId,
      String taskId,
      String runId,
      Integer mapIndex,
      Integer tryNumber,
      String event,
      String logicalDate,
      String owner,
      String extra) {}

  public record EventLogCollection(List<EventLogResponse> eventLogs, int totalEntries) {}

  static List<Route> routes(Database db) {
    return List.of(
        Route.get(
                "/api/v2/eventLogs",
                Role.VIEWER,
                "List audit log events",
                EventLogCollection.class,
                (ctx, caller) -> list(db, ctx))
            .withQuery("limit", "integer", "at most this many (default 50, at most 100)")
            .withQuery("offset", "integer", "skip this many")
            .withQuery("order_by", "string", "id (default), when, event, owner, dag_id...; -: desc")
            .withQuery("dag_id", "string", "only events of this DAG")
            .withQuery("task_id", "string", "only events of this task")
            .withQuery("run_id", "string", "only events of this run")
            .withQuery("map_index", "integer", "only events of this mapped instance")
            .withQuery("try_number", "integer", "only events of this try")
            .withQuery("owner", "string", "only events by this user")
            .withQuery("event", "string", "only this event")
            .withQuery("included_events", "string", "only these events (comma separated)")
            .withQuery("excluded_events", "string", "not these events (comma separated)")
            .withQuery("before", "string", "only events before this ISO-8601 instant")
            .withQuery("after", "string", "only events at or after this ISO-8601 instant"),
        Route.get(
            "/api/v2/eventLogs/{event_log_id}",
            Role.VIEWER,
            "Get an audit log event",
            EventLogResponse.class,
            (ctx, caller) -> {
              long id = Params.id("event_log_id", ctx.pathParam("event_log_id"));
              return response(
                  new LogRepository(db)
                      .get(id)
                      .orElseThrow(
                          () ->
                              ApiException.notFound(
                                  "there is no event log "
                                      + id
                                      + " (GET /api/v2/eventLogs lists them)")));
            }));
  }

  private static EventLogCollection list(Database db, Context ctx) {
    Paging paging = Paging.of(ctx, "id", List.copyOf(LogRepository.PAGE_ORDERS.keySet()));
    LogRepository.Filter filter =
        new LogRepository.Filter(
            text(ctx, "dag_id"),
            text(ctx, "task_id"),
            text(ctx, "run_id"),
            Params.optionalInteger(ctx, "map_index"),
            Params.optionalInteger(ctx, "try_number"),
            text(ctx, "owner"),
            text(ctx, "event"),
            list(ctx, "included_events"),
            list(ctx, "excluded_events"),
            Params.optionalInstant(ctx, "before"),
            Params.optionalInstant(ctx, "after"));
    LogRepository log = new LogRepository(db);
    List<EventLogResponse> page =
        log
            .page(filter, paging.orderBy(), paging.descending(), paging.limit(), paging.offset())
            .stream()
            .map(EventLogRoutes::response)
            .toList();
    return new EventLogCollection(page, log.count(filter));
  }

  private static String text(Context ctx, String name) {
    String value = ctx.queryParam(name);
    return value == null || value.isEmpty() ? null : value;
  }

  private static List<String> list(Context ctx, String name) {
    return ctx.queryParams(name).stream()
        .flatMap(v -> Arrays.stream(v.split(",")))
        .map(String::trim)
        .filter(v -> !v.isEmpty())
        .toList();
  }

  private static EventLogResponse response(LogRow r) {
    return new EventLogResponse(
        r.id(),
        Json.instant(r.dttm()),
        r.dagId(),
        r.taskId(),
        r.runId(),
        r.mapIndex(),
        r.tryNumber(),
        r.event(),
        null,
        r.owner(),
        masked(r.extra()));
  }

  /**
   * The recorded extra with secret-looking fields as {@code ***}: a trigger records the run's conf,
   * which may hold one.
   */
  private static String masked(String extra) {
    if (extra == null || !extra.stripLeading().startsWith("{")) {
      return extra;
    }
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> fields = Json.MAPPER.readValue(extra, Map.class);
      return Json.write(Masking.fields(fields, new SecretMasker()));
    } catch (java.io.IOException e) {
      return extra;
    }
  }
}
