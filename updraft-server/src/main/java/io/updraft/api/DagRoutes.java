package io.updraft.api;

import io.javalin.http.Context;
import io.updraft.UpdraftException;
import io.updraft.scheduler.DagActions;
import io.updraft.scheduler.DagTags;
import io.updraft.scheduler.DagVersions;
import io.updraft.store.DagRepository;
import io.updraft.store.DagRow;
import io.updraft.store.Database;
import io.updraft.store.NextDagRun;
import io.updraft.store.SerializedDagRepository;
import java.time.Clock;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code /api/v2/dags}: the DAGs the database knows, Airflow's fields and filters ({@code
 * dag_id_pattern} as SQL LIKE, {@code tags} any-of, {@code paused}), and pausing through {@link
 * DagActions}, the code {@code dags pause} runs.
 */
final class DagRoutes {
  private DagRoutes() {}

  public record DagTag(String name, String dagId) {}

  public record DagResponse(
      String dagId,
      String dagDisplayName,
      boolean isPaused,
      boolean isStale,
      String lastParsedTime,
      String fileloc,
      String description,
      String timetableSummary,
      List<DagTag> tags,
      int maxActiveTasks,
      Integer maxActiveRuns,
      boolean hasTaskConcurrencyLimits,
      boolean hasImportErrors,
      String nextDagrunLogicalDate,
      String nextDagrunDataIntervalStart,
      String nextDagrunDataIntervalEnd,
      String nextDagrunRunAfter,
      List<String> owners) {}

  public record DagCollection(List<DagResponse> dags, int totalEntries) {}

  /** {@code PATCH /dags/{dag_id}}'s body: only {@code is_paused} may change. */
  public record DagPatchBody(Boolean isPaused) {
    public DagPatchBody {
      if (isPaused == null) {
        throw ApiException.unprocessable("is_paused: required (true or false)");
      }
    }
  }

  private static final Map<String, Comparator<DagResponse>> ORDERS =
      Map.of(
          "dag_id", Comparator.comparing(DagResponse::dagId),
          "dag_display_name", Comparator.comparing(DagResponse::dagDisplayName),
          "next_dagrun",
              Comparator.comparing(
                  DagResponse::nextDagrunLogicalDate,
                  Comparator.nullsLast(Comparator.naturalOrder())),
          "last_parsed_time",
              Comparator.comparing(
                  DagResponse::lastParsedTime, Comparator.nullsLast(Comparator.naturalOrder())));

  static List<Route> routes(Database db, Clock clock) {
    DagTags dagTags = new DagTags(db);
    return List.of(
        Route.get(
                "/api/v2/dags",
                Role.VIEWER,
                "List DAGs",
                DagCollection.class,
                (ctx, caller) -> list(db, dagTags, ctx))
            .withQuery("limit", "integer", "at most this many (default 50, at most 100)")
            .withQuery("offset", "integer", "skip this many")
            .withQuery("order_by", "string", "dag_id (default), next_dagrun, ...; -field: desc")
            .withQuery("dag_id_pattern", "string", "SQL LIKE pattern on dag_id (% and _)")
            .withQuery("tags", "string", "DAGs with any of these tags (repeat the parameter)")
            .withQuery("paused", "boolean", "only paused (true) or unpaused (false) DAGs"),
        Route.get(
            "/api/v2/dags/{dag_id}",
            Role.VIEWER,
            "Get a DAG",
            DagResponse.class,
            (ctx, caller) -> response(db, require(db, ctx.pathParam("dag_id")))),
        Route.patch(
            "/api/v2/dags/{dag_id}",
            Role.USER,
            "Pause or unpause a DAG",
            DagPatchBody.class,
            DagResponse.class,
            (ctx, caller) -> {
              String dagId = ctx.pathParam("dag_id");
              DagPatchBody body = Bodies.read(ctx, DagPatchBody.class);
              require(db, dagId);
              if (!DagActions.setPaused(
                  db, dagId, body.isPaused(), caller.username(), clock.instant())) {
                throw notFound(dagId);
              }
              return response(db, require(db, dagId));
            }));
  }

  private static DagCollection list(Database db, DagTags dagTags, Context ctx) {
    Paging paging = Paging.of(ctx, "dag_id", List.copyOf(ORDERS.keySet()));
    String pattern = ctx.queryParam("dag_id_pattern");
    Pattern like = pattern == null || pattern.isEmpty() ? null : like(pattern);
    Boolean paused = Params.bool(ctx, "paused");
    Set<String> tags =
        ctx.queryParams("tags").stream()
            .flatMap(t -> Arrays.stream(t.split(",")))
            .map(String::trim)
            .filter(t -> !t.isEmpty())
            .collect(java.util.stream.Collectors.toSet());
    Map<String, List<String>> tagsOf = dagTags.all();
    List<DagResponse> all =
        new DagRepository(db)
            .list().stream()
                .filter(DagRow::active)
                .filter(d -> paused == null || d.paused() == paused)
                .filter(d -> like == null || like.matcher(d.dagId()).matches())
                .map(d -> response(d, tagsOf.getOrDefault(d.dagId(), List.of())))
                .filter(
                    d -> tags.isEmpty() || d.tags().stream().anyMatch(t -> tags.contains(t.name())))
                .toList();
    return new DagCollection(paging.page(all, ORDERS), all.size());
  }

  /** SQL LIKE as Airflow's {@code dag_id_pattern} is: {@code %} any run, {@code _} one. */
  static Pattern like(String pattern) {
    StringBuilder re = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      switch (c) {
        case '%' -> re.append(".*");
        case '_' -> re.append('.');
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString(), Pattern.DOTALL);
  }

  static DagRow require(Database db, String dagId) {
    return new DagRepository(db).get(dagId).orElseThrow(() -> notFound(dagId));
  }

  static ApiException notFound(String dagId) {
    return ApiException.notFound(
        "DAG '" + dagId + "' is not in the metadata database (GET /api/v2/dags lists them)");
  }

  /** One DAG's tags, from its newest serialized version (the {@code dag} table has none). */
  private static List<String> tags(Database db, String dagId) {
    try {
      return new DagVersions(new SerializedDagRepository(db)).latest(dagId).dag().tags();
    } catch (UpdraftException e) {
      return List.of(); // not parsed yet
    }
  }

  static DagResponse response(Database db, DagRow d) {
    return response(d, tags(db, d.dagId()));
  }

  private static DagResponse response(DagRow d, List<String> tagNames) {
    List<DagTag> tags = tagNames.stream().map(t -> new DagTag(t, d.dagId())).toList();
    NextDagRun next = d.next();
    return new DagResponse(
        d.dagId(),
        d.dagId(),
        d.paused(),
        !d.active(),
        Json.instant(d.lastParsedTime()),
        d.fileloc(),
        d.description(),
        d.timetableSummary(),
        tags,
        d.maxActiveTasks(),
        d.maxActiveRuns(),
        d.hasTaskConcurrencyLimits(),
        d.hasImportErrors(),
        next == null ? null : Json.instant(next.logicalDate()),
        next == null ? null : Json.instant(next.dataIntervalStart()),
        next == null ? null : Json.instant(next.dataIntervalEnd()),
        next == null ? null : Json.instant(next.createAfter()),
        d.owners() == null || d.owners().isBlank()
            ? List.of()
            : Arrays.stream(d.owners().split(",")).map(String::trim).toList());
  }
}
