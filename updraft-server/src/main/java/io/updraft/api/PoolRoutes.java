package io.updraft.api;

import io.javalin.http.Context;
import io.updraft.scheduler.PoolActions;
import io.updraft.store.Database;
import io.updraft.store.Pool;
import io.updraft.store.PoolRepository;
import io.updraft.store.PoolUsage;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v2/pools}: the pools with the slots their task instances hold (Airflow's fields), and
 * creating, changing and deleting them through {@link PoolActions}, the code {@code updraft pools}
 * runs. A pool with unlimited slots ({@code -1}) has {@code open_slots} {@code -1} too.
 */
final class PoolRoutes {
  private PoolRoutes() {}

  public record PoolResponse(
      String name,
      int slots,
      String description,
      boolean includeDeferred,
      int occupiedSlots,
      int runningSlots,
      int queuedSlots,
      int scheduledSlots,
      int deferredSlots,
      int openSlots) {}

  public record PoolCollection(List<PoolResponse> pools, int totalEntries) {}

  /** {@code POST}'s body: a name and slots; the rest optional. */
  public record PoolBody(String name, Integer slots, String description, Boolean includeDeferred) {
    public PoolBody {
      if (name == null || name.isBlank()) {
        throw ApiException.unprocessable("name: required (the pool's name)");
      }
      if (slots == null) {
        throw ApiException.unprocessable("slots: required (0 or more, or -1 for unlimited)");
      }
    }
  }

  /**
   * {@code PATCH}'s body: the fields to change. Without {@code update_mask}, those given (not null)
   * change; with it, only those it names. {@code name}, when given, must be the pool's own.
   */
  public record PoolPatchBody(
      String name, Integer slots, String description, Boolean includeDeferred) {}

  private static final Map<String, Comparator<PoolResponse>> ORDERS =
      Map.of(
          "name", Comparator.comparing(PoolResponse::name),
          "pool", Comparator.comparing(PoolResponse::name),
          "slots", Comparator.comparing(PoolResponse::slots),
          "open_slots", Comparator.comparing(PoolResponse::openSlots),
          "occupied_slots", Comparator.comparing(PoolResponse::occupiedSlots));

  private static final List<String> PATCHABLE = List.of("slots", "description", "include_deferred");

  static List<Route> routes(Database db, Clock clock) {
    return List.of(
        Route.get(
                "/api/v2/pools",
                Role.VIEWER,
                "List pools",
                PoolCollection.class,
                (ctx, c) -> list(db, ctx))
            .withQuery("limit", "integer", "at most this many (default 50, at most 100)")
            .withQuery("offset", "integer", "skip this many")
            .withQuery("order_by", "string", "name (default), slots, open_slots, ...; -: desc")
            .withQuery("pool_name_pattern", "string", "SQL LIKE pattern on the name (% and _)"),
        Route.post(
                "/api/v2/pools",
                Role.OP,
                "Create a pool",
                PoolBody.class,
                PoolResponse.class,
                (ctx, caller) -> {
                  PoolBody body = Bodies.read(ctx, PoolBody.class);
                  Pool pool =
                      new Pool(
                          body.name(),
                          body.slots(),
                          body.description() == null || body.description().isEmpty()
                              ? null
                              : body.description(),
                          Boolean.TRUE.equals(body.includeDeferred()));
                  if (!PoolActions.create(db, pool, caller.username(), clock.instant())) {
                    throw ApiException.conflict(
                        "pool '"
                            + body.name()
                            + "' exists already: change it with PATCH /api/v2/pools/"
                            + body.name());
                  }
                  return response(db, require(db, body.name()));
                })
            .withStatus(201),
        Route.get(
            "/api/v2/pools/{pool_name}",
            Role.VIEWER,
            "Get a pool",
            PoolResponse.class,
            (ctx, caller) -> response(db, require(db, ctx.pathParam("pool_name")))),
        Route.patch(
                "/api/v2/pools/{pool_name}",
                Role.OP,
                "Change a pool's slots, description or include_deferred",
                PoolPatchBody.class,
                PoolResponse.class,
                (ctx, caller) -> {
                  String name = ctx.pathParam("pool_name");
                  PoolPatchBody body = Bodies.read(ctx, PoolPatchBody.class);
                  List<String> mask = UpdateMask.of(ctx, PATCHABLE);
                  if (body.name() != null && !body.name().equals(name)) {
                    throw ApiException.badRequest(
                        "name: a pool cannot be renamed ('"
                            + body.name()
                            + "' is not '"
                            + name
                            + "'): create a new one and delete this one");
                  }
                  PoolActions.Change change =
                      new PoolActions.Change(
                          UpdateMask.pick(mask, "slots", body.slots()),
                          UpdateMask.pickClearable(mask, "description", body.description()),
                          UpdateMask.pick(mask, "include_deferred", body.includeDeferred()));
                  if (mask.contains("slots") && body.slots() == null) {
                    throw ApiException.unprocessable("slots: cannot be null (-1 for unlimited)");
                  }
                  if (mask.contains("include_deferred") && body.includeDeferred() == null) {
                    throw ApiException.unprocessable("include_deferred: must be true or false");
                  }
                  Pool changed =
                      PoolActions.update(db, name, change, caller.username(), clock.instant())
                          .orElseThrow(() -> notFound(name));
                  return response(db, changed);
                })
            .withQuery(
                "update_mask", "string", "change only these fields (comma separated or repeated)"),
        Route.delete(
            "/api/v2/pools/{pool_name}",
            Role.OP,
            "Delete a pool",
            (ctx, caller) -> {
              String name = ctx.pathParam("pool_name");
              if (!PoolActions.delete(db, name, caller.username(), clock.instant())) {
                throw notFound(name);
              }
              return null;
            }));
  }

  private static PoolCollection list(Database db, Context ctx) {
    Paging paging = Paging.of(ctx, "name", List.copyOf(ORDERS.keySet()));
    String pattern = ctx.queryParam("pool_name_pattern");
    java.util.regex.Pattern like =
        pattern == null || pattern.isEmpty() ? null : DagRoutes.like(pattern);
    Map<String, PoolUsage.Slots> usage = new PoolUsage(db).byPool();
    List<PoolResponse> all =
        new PoolRepository(db)
            .list().stream()
                .filter(p -> like == null || like.matcher(p.name()).matches())
                .map(p -> response(p, usage.getOrDefault(p.name(), PoolUsage.Slots.NONE)))
                .toList();
    return new PoolCollection(paging.page(all, ORDERS), all.size());
  }

  private static Pool require(Database db, String name) {
    return new PoolRepository(db).get(name).orElseThrow(() -> notFound(name));
  }

  private static ApiException notFound(String name) {
    return ApiException.notFound("there is no pool '" + name + "' (GET /api/v2/pools lists them)");
  }

  private static PoolResponse response(Database db, Pool p) {
    return response(p, new PoolUsage(db).byPool().getOrDefault(p.name(), PoolUsage.Slots.NONE));
  }

  /** Airflow's arithmetic: occupied is queued + running (+ deferred with include_deferred). */
  static PoolResponse response(Pool p, PoolUsage.Slots s) {
    int occupied = s.queued() + s.running() + (p.includeDeferred() ? s.deferred() : 0);
    return new PoolResponse(
        p.name(),
        p.slots(),
        p.description(),
        p.includeDeferred(),
        occupied,
        s.running(),
        s.queued(),
        s.scheduled(),
        s.deferred(),
        p.unlimited() ? -1 : Math.max(0, p.slots() - occupied));
  }
}
