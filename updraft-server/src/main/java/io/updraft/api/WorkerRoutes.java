package io.updraft.api;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.updraft.store.Database;
import io.updraft.store.JobRepository;
import io.updraft.store.JobType;
import io.updraft.store.UserRepository;
import io.updraft.store.UserRow;
import io.updraft.store.WorkerJobs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A remote worker's own life, beside the tries it runs (decisions/0168, 0169): its {@code worker}
 * job row — registered, heart-beaten and ended by the API server on its behalf, since it holds no
 * database credentials — and the renewal of its token before it expires. {@code GET
 * /api/v2/workers} lists the live ones.
 */
final class WorkerRoutes {
  private WorkerRoutes() {}

  /**
   * @param queues the queues it takes task instances of
   * @param concurrency how many tries it runs at once
   */
  public record WorkerBody(
      String hostname, Integer pid, List<String> queues, Integer concurrency) {}

  /** A worker's job: {@code id} is what it heartbeats. */
  public record WorkerJob(long id) {}

  public record WorkerResponse(
      long id,
      String hostname,
      int pid,
      List<String> queues,
      int concurrency,
      String latestHeartbeat,
      String startDate) {}

  public record WorkerCollection(List<WorkerResponse> workers, int totalEntries) {}

  static List<Route> routes(Database db, Clock clock, Tokens tokens, Duration threshold) {
    JobRepository jobs = new JobRepository(db);
    WorkerJobs workers = new WorkerJobs(db);
    return List.of(
        Route.post(
                ExecutionRoutes.BASE + "/workers",
                Role.WORKER,
                "Register a remote worker",
                WorkerBody.class,
                WorkerJob.class,
                (ctx, caller) -> register(jobs, workers, clock, threshold, ctx, caller))
            .withStatus(201),
        new Route(
            HandlerType.PUT,
            ExecutionRoutes.BASE + "/workers/{worker_id}/heartbeat",
            Role.WORKER,
            "Heartbeat a remote worker",
            List.of(),
            null,
            WorkerJob.class,
            200,
            (ctx, caller) -> heartbeat(jobs, clock, threshold, ctx, caller)),
        Route.delete(
            ExecutionRoutes.BASE + "/workers/{worker_id}",
            Role.WORKER,
            "End a stopped remote worker's job",
            (ctx, caller) -> {
              userOnly(caller);
              jobs.finish(workerId(ctx), true, clock.instant());
              return null;
            }),
        Route.post(
                ExecutionRoutes.BASE + "/token",
                Role.WORKER,
                "Renew a worker's token",
                null,
                AuthRoutes.TokenResponse.class,
                (ctx, caller) -> renew(new UserRepository(db), tokens, caller))
            .withStatus(201),
        Route.get(
            "/api/v2/workers",
            Role.VIEWER,
            "List the live remote workers",
            WorkerCollection.class,
            (ctx, caller) -> {
              List<WorkerResponse> live =
                  workers.aliveSince(clock.instant().minus(threshold)).stream()
                      .map(
                          w ->
                              new WorkerResponse(
                                  w.id(),
                                  w.hostname(),
                                  w.pid(),
                                  w.queues(),
                                  w.concurrency(),
                                  Json.instant(w.latestHeartbeat()),
                                  Json.instant(w.startDate())))
                      .toList();
              return new WorkerCollection(live, live.size());
            }));
  }

  private static WorkerJob register(
      JobRepository jobs,
      WorkerJobs workers,
      Clock clock,
      Duration threshold,
      Context ctx,
      Caller caller) {
    userOnly(caller);
    WorkerBody body = Bodies.read(ctx, WorkerBody.class);
    if (body.hostname() == null || body.hostname().isBlank() || body.hostname().length() > 1000) {
      throw ApiException.unprocessable(
          "hostname: required, the worker's host (at most 1000 characters)");
    }
    if (body.pid() != null && body.pid() < 0) {
      throw ApiException.unprocessable("pid: must be 0 or more, not " + body.pid());
    }
    if (body.queues() == null
        || body.queues().isEmpty()
        || body.queues().stream().anyMatch(q -> q == null || q.isBlank() || q.contains(","))
        || String.join(",", body.queues()).length() > 4000) {
      throw ApiException.unprocessable(
          "queues: required, queue names without commas (at most 4000 characters in all)");
    }
    if (body.concurrency() == null || body.concurrency() < 1) {
      throw ApiException.unprocessable("concurrency: required, 1 or more");
    }
    Instant now = clock.instant();
    jobs.failStale(JobType.WORKER, now.minus(threshold), now);
    return new WorkerJob(
        workers.register(
            body.hostname(),
            body.pid() == null ? 0 : body.pid(),
            body.queues(),
            body.concurrency(),
            now));
  }

  /** 409 when the job ended (judged dead after a silence): the worker registers again. */
  private static WorkerJob heartbeat(
      JobRepository jobs, Clock clock, Duration threshold, Context ctx, Caller caller) {
    userOnly(caller);
    long id = workerId(ctx);
    Instant now = clock.instant();
    if (!jobs.get(id).map(j -> j.type() == JobType.WORKER).orElse(false)) {
      throw ApiException.notFound("no worker job with id " + id);
    }
    if (!jobs.heartbeat(id, now)) {
      throw ApiException.conflict(
          "worker job " + id + " has ended (no heartbeat for " + threshold + "): register again");
    }
    jobs.failStale(JobType.WORKER, now.minus(threshold), now);
    return new WorkerJob(id);
  }

  /**
   * A fresh token for the caller's user, as it is now: a deleted user or a role that may no longer
   * run tasks gets none, so an admin revokes a worker by deleting or changing its user.
   */
  private static AuthRoutes.TokenResponse renew(
      UserRepository users, Tokens tokens, Caller caller) {
    userOnly(caller);
    UserRow user =
        users
            .get(caller.username())
            .orElseThrow(
                () ->
                    ApiException.unauthorized(
                        "user " + caller.username() + " no longer exists: the token is revoked"));
    Role role = Role.parse(user.role());
    if (!role.allows(Role.WORKER)) {
      throw ApiException.forbidden(
          "user " + caller.username() + " now has role " + role.id() + ": it may not run tasks");
    }
    return new AuthRoutes.TokenResponse(
        tokens.issue(new Caller(user.username(), role)), "bearer", tokens.lifetime().toSeconds());
  }

  private static void userOnly(Caller caller) {
    if (caller.task() != null) {
      throw ApiException.forbidden("a task token may not do this: use the worker's token");
    }
  }

  private static long workerId(Context ctx) {
    return Params.id("worker_id", ctx.pathParam("worker_id"));
  }
}
