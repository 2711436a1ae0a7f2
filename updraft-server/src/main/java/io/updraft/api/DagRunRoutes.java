package io.updraft.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.updraft.dag.RunIdRule;
import io.updraft.scheduler.DagActions;
import io.updraft.scheduler.ManualRuns;
import io.updraft.state.DagRunState;
import io.updraft.store.DagRunRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.Database;
import io.updraft.store.RunFilter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v2/dags/{dag_id}/dagRuns}: a DAG's runs, one run, and triggering a run through {@link
 * DagActions#trigger}, the code {@code dags trigger} runs (same run id rule, same data interval,
 * same audit record).
 */
final class DagRunRoutes {
  private static final ObjectMapper PLAIN = new ObjectMapper();

  /** Airflow's "every DAG" / "every run" in a list path: {@code /dags/~/dagRuns}. */
  static final String ALL = "~";

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

  /** Most runs one bulk request may create, over all its actions: a bounded transaction. */
  static final int MAX_BULK_ENTITIES = 1000;

  /**
   * One action of a bulk body, Airflow 3's {@code BulkCreateAction}: {@code create} only, its
   * entities trigger bodies; {@code action_on_existence} {@code fail} (default: one taken run_id or
   * logical date and the action creates nothing) or {@code skip} (the taken ones are left out).
   */
  public record BulkCreateAction(
      String action, List<TriggerBody> entities, String actionOnExistence) {
    public BulkCreateAction {
      if (!"create".equals(action)) {
        throw ApiException.unprocessable(
            "action: "
                + (action == null ? "required" : "'" + action + "' is not one for runs")
                + " — a bulk request on runs only creates them (\"action\": \"create\"); delete"
                + " a run with DELETE /api/v2/dags/{dag_id}/dagRuns/{dag_run_id}");
      }
      if (entities == null || entities.isEmpty()) {
        throw ApiException.badRequest("entities: empty — give the runs to create");
      }
      if (entities.contains(null)) {
        throw ApiException.unprocessable("entities: an entity is null, not a trigger body");
      }
      if (actionOnExistence != null
          && !actionOnExistence.equals("fail")
          && !actionOnExistence.equals("skip")) {
        throw ApiException.unprocessable(
            "action_on_existence: '"
                + actionOnExistence
                + "' is not fail or skip"
                + ("overwrite".equals(actionOnExistence)
                    ? " (a run is not overwritten: delete it first)"
                    : ""));
      }
    }

    boolean skip() {
      return "skip".equals(actionOnExistence);
    }
  }

  /** Airflow 3's {@code BulkBody} for runs: {@code {"actions": [{"action": "create", ...}]}}. */
  public record BulkBody(List<BulkCreateAction> actions) {
    public BulkBody {
      if (actions == null || actions.isEmpty()) {
        throw ApiException.badRequest("actions: empty — give at least one create action");
      }
      int entities = actions.stream().mapToInt(a -> a.entities().size()).sum();
      if (entities > MAX_BULK_ENTITIES) {
        throw ApiException.badRequest(
            "the request holds "
                + entities
                + " runs, more than "
                + MAX_BULK_ENTITIES
                + " — send them in several requests");
      }
    }
  }

  /**
   * Airflow 3's {@code BulkActionResponse}: the run_ids created, and the errors, each {@code
   * {"error": ..., "status_code": ...}}.
   */
  public record BulkActionResponse(List<String> success, List<Map<String, Object>> errors) {}

  /** Airflow 3's {@code BulkResponse}; runs are only created, so update and delete are null. */
  public record BulkResponse(
      BulkActionResponse create, BulkActionResponse update, BulkActionResponse delete) {}

  /**
   * Airflow's {@code PATCH .../dagRuns/{dag_run_id}} body: the state to set. Runs have no notes
   * yet, so a {@code note} is refused rather than dropped (decisions/0102).
   */
  public record PatchDagRunBody(String state, String note) {
    public PatchDagRunBody {
      if (note != null) {
        throw ApiException.unprocessable(
            "note: runs have no notes in Updraft yet; send only state");
      }
      if (state == null) {
        throw ApiException.unprocessable("state: required (success, failed or queued)");
      }
      runState(state);
    }

    DagRunState runState() {
      return runState(state);
    }

    private static DagRunState runState(String text) {
      return DagRunState.fromId(text)
          .filter(DagActions.RUN_MARKABLE::contains)
          .orElseThrow(
              () ->
                  ApiException.unprocessable(
                      "state: '" + text + "' is not one of success, failed, queued"));
    }
  }

  static List<Route> routes(Database db, Clock clock) {
    return List.of(
        Route.get(
                "/api/v2/dags/{dag_id}/dagRuns",
                Role.VIEWER,
                "List runs",
                DagRunCollection.class,
                (ctx, caller) -> list(db, ctx))
            .withQuery("limit", "integer", "at most this many (default 50, at most 100)")
            .withQuery("offset", "integer", "skip this many")
            .withQuery("order_by", "string", "id (default), run_after, logical_date, ...; -: desc")
            .withQuery("state", "string", "only these states (repeat or comma-separate)")
            .withQuery("logical_date_gte", "string", "logical date from (ISO-8601)")
            .withQuery("logical_date_lte", "string", "logical date up to")
            .withQuery("start_date_gte", "string", "started from")
            .withQuery("start_date_lte", "string", "started up to")
            .withQuery("run_after_gte", "string", "run_after from")
            .withQuery("run_after_lte", "string", "run_after up to"),
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
                      confJson(body.conf()),
                      caller.username(),
                      now);
              return response(run);
            }),
        Route.patch(
            "/api/v2/dags/{dag_id}/dagRuns",
            Role.USER,
            "Trigger runs of a DAG in bulk",
            BulkBody.class,
            BulkResponse.class,
            (ctx, caller) -> {
              String dagId = ctx.pathParam("dag_id");
              BulkBody body = Bodies.read(ctx, BulkBody.class);
              DagRoutes.require(db, dagId);
              return bulk(db, dagId, body, caller.username(), clock.instant());
            }),
        Route.get(
            "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}",
            Role.VIEWER,
            "Get a run",
            DagRunResponse.class,
            (ctx, caller) ->
                response(require(db, ctx.pathParam("dag_id"), ctx.pathParam("dag_run_id")))),
        Route.patch(
            "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}",
            Role.USER,
            "Set a run's state",
            PatchDagRunBody.class,
            DagRunResponse.class,
            (ctx, caller) -> {
              PatchDagRunBody body = Bodies.read(ctx, PatchDagRunBody.class);
              DagRunRow run = require(db, ctx.pathParam("dag_id"), ctx.pathParam("dag_run_id"));
              if (!DagActions.markRun(
                  db,
                  run.dagId(),
                  run.runId(),
                  body.runState(),
                  caller.username(),
                  clock.instant())) {
                throw gone(run.dagId(), run.runId());
              }
              return response(require(db, run.dagId(), run.runId()));
            }),
        Route.delete(
            "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}",
            Role.USER,
            "Delete a run",
            (ctx, caller) -> {
              DagRunRow run = require(db, ctx.pathParam("dag_id"), ctx.pathParam("dag_run_id"));
              if (!DagActions.deleteRun(
                  db, run.dagId(), run.runId(), caller.username(), clock.instant())) {
                throw gone(run.dagId(), run.runId());
              }
              return null;
            }));
  }

  /**
   * Runs a bulk body's actions in order, each in one transaction of a few statements ({@link
   * DagActions#triggerAll}); an entity without {@code logical_date} gets now, as a single trigger.
   */
  private static BulkResponse bulk(
      Database db, String dagId, BulkBody body, String who, Instant now) {
    List<String> success = new ArrayList<>();
    List<Map<String, Object>> errors = new ArrayList<>();
    for (int a = 0; a < body.actions().size(); a++) {
      BulkCreateAction action = body.actions().get(a);
      List<ManualRuns.Request> requests = new ArrayList<>();
      for (TriggerBody e : action.entities()) {
        requests.add(
            new ManualRuns.Request(
                e.dagRunId(),
                e.logicalDate() == null ? now : Params.instant("logical_date", e.logicalDate()),
                confJson(e.conf())));
      }
      ManualRuns.Bulk done = DagActions.triggerAll(db, dagId, requests, action.skip(), who, now);
      done.created().forEach(r -> success.add(r.runId()));
      if (!action.skip()) {
        for (int i : done.taken()) {
          errors.add(
              Map.of("error", taken(dagId, a, requests, i, done.runIds()), "status_code", 409));
        }
      }
    }
    return new BulkResponse(new BulkActionResponse(success, errors), null, null);
  }

  /** Why entity {@code i} of action {@code a} was refused: an earlier entity's or a run's. */
  private static String taken(
      String dagId, int a, List<ManualRuns.Request> requests, int i, List<String> runIds) {
    ManualRuns.Request r = requests.get(i);
    String at = "actions[" + a + "].entities[" + i + "]";
    for (int j = 0; j < i; j++) {
      ManualRuns.Request earlier = requests.get(j);
      if (runIds.get(j).equals(runIds.get(i))) {
        return at + ": dag_run_id '" + runIds.get(i) + "' is also that of entities[" + j + "]";
      }
      if (earlier.logicalDate().equals(r.logicalDate())) {
        return at + ": logical_date " + r.logicalDate() + " is also that of entities[" + j + "]";
      }
    }
    return at
        + ": DAG '"
        + dagId
        + "' already has a run with dag_run_id '"
        + runIds.get(i)
        + "' or logical date "
        + r.logicalDate()
        + " — nothing of this action was created; send it again without it, or with"
        + " \"action_on_existence\": \"skip\"";
  }

  private static String confJson(Map<String, Object> conf) {
    try {
      return conf == null ? null : PLAIN.writeValueAsString(conf);
    } catch (JsonProcessingException e) {
      throw ApiException.unprocessable("conf: not writable as JSON: " + e.getOriginalMessage());
    }
  }

  private static ApiException gone(String dagId, String runId) {
    return ApiException.notFound("run '" + runId + "' of DAG '" + dagId + "' is gone");
  }

  private static DagRunCollection list(Database db, Context ctx) {
    String dagId = ctx.pathParam("dag_id");
    Paging paging = Paging.of(ctx, "id", List.copyOf(DagRunRepository.PAGE_ORDERS.keySet()));
    RunFilter filter =
        new RunFilter(
            ALL.equals(dagId) ? null : dagId,
            states(ctx),
            Params.optionalInstant(ctx, "logical_date_gte"),
            Params.optionalInstant(ctx, "logical_date_lte"),
            Params.optionalInstant(ctx, "start_date_gte"),
            Params.optionalInstant(ctx, "start_date_lte"),
            Params.optionalInstant(ctx, "run_after_gte"),
            Params.optionalInstant(ctx, "run_after_lte"));
    if (!ALL.equals(dagId)) {
      DagRoutes.require(db, dagId);
    }
    DagRunRepository runs = new DagRunRepository(db);
    List<DagRunResponse> page =
        runs
            .page(filter, paging.orderBy(), paging.descending(), paging.limit(), paging.offset())
            .stream()
            .map(DagRunRoutes::response)
            .toList();
    return new DagRunCollection(page, runs.count(filter));
  }

  private static List<DagRunState> states(Context ctx) {
    List<DagRunState> states = new ArrayList<>();
    for (String value : ctx.queryParams("state")) {
      for (String one : value.split(",")) {
        String s = one.trim();
        if (!s.isEmpty()) {
          states.add(
              DagRunState.fromId(s)
                  .orElseThrow(
                      () ->
                          ApiException.unprocessable(
                              "state: '"
                                  + s
                                  + "' is not a run state (queued, running, success, failed)")));
        }
      }
    }
    return states;
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
