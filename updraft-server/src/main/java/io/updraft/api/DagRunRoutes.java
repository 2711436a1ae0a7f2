package io.updraft.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.updraft.dag.RunIdRule;
import io.updraft.scheduler.DagActions;
import io.updraft.store.DagRunRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.Database;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v2/dags/{dag_id}/dagRuns}: a DAG's runs, one run, and triggering a run through {@link
 * DagActions#trigger}, the code {@code dags trigger} runs (same run id rule, same data interval,
 * same audit record).
 */
final class DagRunRoutes {
  private static final ObjectMapper PLAIN = new ObjectMapper();

  private DagRunRoutes() {}

  public record DagRunResponse(
      String dagRunId,
      String dagId,
      String dagDisplayName,
      String logicalDate,
      String queuedAt,
      String startDate,
      String endDate,
      Double duration,
      String dataIntervalStart,
      String dataIntervalEnd,
      String runAfter,
      String lastSchedulingDecision,
      String runType,
      String state,
      String triggeredBy,
      JsonNode conf,
      String note) {}

  public record DagRunCollection(List<DagRunResponse> dagRuns, int totalEntries) {}

  /**
   * The trigger body: all fields optional. {@code logical_date} null or absent means now (as {@code
   * dags trigger} without {@code --logical-date}); {@code dag_run_id} absent means {@code
   * manual__<logical date>}.
   */
  public record TriggerBody(String dagRunId, String logicalDate, Map<String, Object> conf) {
    public TriggerBody {
      if (dagRunId != null) {
        try {
          RunIdRule.require(dagRunId);
        } catch (RunIdRule.InvalidRunIdException e) {
          throw ApiException.unprocessable("dag_run_id: " + e.getMessage());
        }
      }
      if (logicalDate != null) {
        Params.instant("logical_date", logicalDate); // checked here, read again below
      }
    }
  }

  static List<Route> routes(Database db, Clock clock) {
    return List.of(
        Route.get(
                "/api/v2/dags/{dag_id}/dagRuns",
                Role.VIEWER,
                "List a DAG's runs",
                DagRunCollection.class,
                (ctx, caller) -> list(db, ctx))
            .withQuery("limit", "integer", "at most this many (default 50, at most 100)")
            .withQuery("offset", "integer", "skip this many")
            .withQuery("order_by", "string", "id (default), run_after, logical_date, ...; -: desc"),
        Route.post(
            "/api/v2/dags/{dag_id}/dagRuns",
            Role.USER,
            "Trigger a run of a DAG",
            TriggerBody.class,
            DagRunResponse.class,
            (ctx, caller) -> {
              String dagId = ctx.pathParam("dag_id");
              TriggerBody body = Bodies.read(ctx, TriggerBody.class);
              DagRoutes.require(db, dagId);
              Instant now = clock.instant();
              Instant logical =
                  body.logicalDate() == null
                      ? now
                      : Params.instant("logical_date", body.logicalDate());
              DagRunRow run =
                  DagActions.trigger(
                      db,
                      dagId,
                      logical,
                      body.dagRunId(),
                      body.conf() == null ? null : PLAIN.writeValueAsString(body.conf()),
                      caller.username(),
                      now);
              return response(run);
            }),
        Route.get(
            "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}",
            Role.VIEWER,
            "Get a run",
            DagRunResponse.class,
            (ctx, caller) ->
                response(require(db, ctx.pathParam("dag_id"), ctx.pathParam("dag_run_id")))));
  }

  private static DagRunCollection list(Database db, Context ctx) {
    String dagId = ctx.pathParam("dag_id");
    Paging paging = Paging.of(ctx, "id", List.copyOf(DagRunRepository.PAGE_ORDERS.keySet()));
    DagRoutes.require(db, dagId);
    DagRunRepository runs = new DagRunRepository(db);
    List<DagRunResponse> page =
        runs
            .page(dagId, paging.orderBy(), paging.descending(), paging.limit(), paging.offset())
            .stream()
            .map(DagRunRoutes::response)
            .toList();
    return new DagRunCollection(page, runs.count(dagId));
  }

  static DagRunRow require(Database db, String dagId, String runId) {
    DagRoutes.require(db, dagId);
    return new DagRunRepository(db)
        .get(dagId, runId)
        .orElseThrow(
            () ->
                ApiException.notFound(
                    "DAG '"
                        + dagId
                        + "' has no run '"
                        + runId
                        + "' (GET /api/v2/dags/"
                        + dagId
                        + "/dagRuns lists them)"));
  }

  static DagRunResponse response(DagRunRow r) {
    return new DagRunResponse(
        r.runId(),
        r.dagId(),
        r.dagId(),
        Json.instant(r.logicalDate()),
        Json.instant(r.queuedAt()),
        Json.instant(r.startDate()),
        Json.instant(r.endDate()),
        r.startDate() == null || r.endDate() == null
            ? null
            : Duration.between(r.startDate(), r.endDate()).toNanos() / 1e9,
        Json.instant(r.dataIntervalStart()),
        Json.instant(r.dataIntervalEnd()),
        Json.instant(r.runAfter()),
        Json.instant(r.lastSchedulingDecision()),
        r.runType().id(),
        r.state().id(),
        null,
        conf(r.conf()),
        null);
  }

  private static JsonNode conf(String json) {
    if (json == null) {
      return PLAIN.createObjectNode();
    }
    try {
      return PLAIN.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a run's stored conf is not JSON: " + e.getMessage(), e);
    }
  }
}
