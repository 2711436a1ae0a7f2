package io.updraft.api;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.updraft.UpdraftException;
import io.updraft.dag.RunIdRule;
import io.updraft.scheduler.DagActions;
import io.updraft.store.DuplicateDagRunException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error the API answers is {@code {"detail": "..."}} with its status: the handlers' {@link
 * ApiException}s as they are, the rules' own exceptions mapped once here (a bad run id is 422, a
 * duplicate run or a changed run 409, what a DAG action did not find 404, any other {@link
 * UpdraftException} — a message written for a person — 400), Javalin's own (no such route, body too
 * large) in the same shape. Anything else is a bug: it is logged with its stack trace and the
 * client gets a 500 that says only that, never the trace.
 */
final class ErrorResponses {
  private static final Logger log = LoggerFactory.getLogger(ErrorResponses.class);

  private ErrorResponses() {}

  static void register(RoutesConfig routes) {
    routes.exception(ApiException.class, (e, ctx) -> send(ctx, e.status(), e.getMessage()));
    routes.exception(
        RunIdRule.InvalidRunIdException.class,
        (e, ctx) -> send(ctx, 422, "dag_run_id: " + e.getMessage()));
    routes.exception(DuplicateDagRunException.class, (e, ctx) -> send(ctx, 409, e.getMessage()));
    routes.exception(
        DagActions.NotFoundException.class, (e, ctx) -> send(ctx, 404, e.getMessage()));
    routes.exception(
        DagActions.ConflictException.class, (e, ctx) -> send(ctx, 409, e.getMessage()));
    routes.exception(UpdraftException.class, (e, ctx) -> send(ctx, 400, e.getMessage()));
    routes.exception(
        HttpResponseException.class,
        (e, ctx) ->
            send(
                ctx,
                e.getStatus(),
                e.getStatus() == 404
                    ? "no such endpoint: "
                        + ctx.method()
                        + " "
                        + ctx.path()
                        + " (GET /openapi.json lists them)"
                    : e.getStatus() == 405
                        ? ctx.method()
                            + " is not allowed on "
                            + ctx.path()
                            + " (GET /openapi.json lists what is)"
                        : e.getStatus() == 413
                            ? "the request body is larger than " + Bodies.MAX_BYTES + " bytes"
                            : e.getMessage()));
    routes.exception(
        Exception.class,
        (e, ctx) -> {
          log.error("{} {} failed", ctx.method(), ctx.path(), e);
          send(ctx, 500, "internal error: the server's log has the details");
        });
  }

  static void send(Context ctx, int status, String detail) {
    ctx.status(status).contentType("application/json").result(Json.write(Map.of("detail", detail)));
  }
}
