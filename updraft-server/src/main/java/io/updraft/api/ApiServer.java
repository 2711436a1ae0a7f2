package io.updraft.api;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.updraft.connections.FernetKeys;
import io.updraft.metrics.MetricsScrape;
import io.updraft.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API server (SPEC §3): Javalin on Jetty, one virtual thread per request, on one metadata
 * database. It keeps no state of its own — users, tokens' signing key and everything it serves are
 * in the database — so several may run against one database behind a load balancer.
 *
 * <p>Every endpoint is a {@link Route} in one table: the server registers each behind the same
 * sign-in and role check ({@link #guard}), and {@code GET /openapi.json} is built from the same
 * table. Errors are {@code {"detail"}} JSON ({@link ErrorResponses}).
 *
 * <p>Beside the table, as {@code /openapi.json}: {@code GET /metrics}, Prometheus text with no
 * sign-in, as Airflow's metrics are scraped (decisions/0111); it is not part of the OpenAPI
 * document, which describes the JSON API.
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

  /**
   * What the server runs with.
   *
   * @param logsRoot where the tries' log files are ({@code $UPDRAFT_HOME/logs}), for {@code
   *     .../logs/{try_number}}; null: logs are not served
   * @param fernetKeys the keys that decrypt connection passwords and variables (as the CLI's)
   * @param dagsFolder where DAG files are, for {@code dagSources}; null: source is not served
   */
  public record Settings(
      String host,
      int port,
      Duration healthThreshold,
      Path logsRoot,
      FernetKeys fernetKeys,
      Path dagsFolder,
      Duration tokenLifetime) {
    public Settings {
      fernetKeys = fernetKeys == null ? FernetKeys.none() : fernetKeys;
      tokenLifetime = tokenLifetime == null ? Tokens.LIFETIME : tokenLifetime;
    }

    /** With tokens good for {@link Tokens#LIFETIME}. */
    public Settings(
        String host,
        int port,
        Duration healthThreshold,
        Path logsRoot,
        FernetKeys fernetKeys,
        Path dagsFolder) {
      this(host, port, healthThreshold, logsRoot, fernetKeys, dagsFolder, null);
    }

    /** Without a logs folder, Fernet keys or a DAGs folder: for servers that need none. */
    public Settings(String host, int port, Duration healthThreshold) {
      this(host, port, healthThreshold, null, FernetKeys.none(), null);
    }

    /** Without Fernet keys or a DAGs folder. */
    public Settings(String host, int port, Duration healthThreshold, Path logsRoot) {
      this(host, port, healthThreshold, logsRoot, FernetKeys.none(), null);
    }

    /** The same settings with these keys and DAGs folder. */
    public Settings with(FernetKeys keys, Path dags) {
      return new Settings(host, port, healthThreshold, logsRoot, keys, dags, tokenLifetime);
    }
  }

  /** What a {@link Mount} may use: the database, sign-in and the server's clock. */
  public record Services(Database db, Tokens tokens, SignIn signIn, Clock clock) {}

  /**
   * Something served beside the API on the same server (the web UI): it adds its own handlers. The
   * API knows only this interface, so nothing here depends on what is mounted.
   */
  @FunctionalInterface
  public interface Mount {
    void mount(JavalinConfig config, Services services);
  }

  private final Javalin app;
  private final List<Route> routes;
  private final ClaimWaits claimWaits;

  private ApiServer(Javalin app, List<Route> routes, ClaimWaits claimWaits) {
    this.app = app;
    this.routes = routes;
    this.claimWaits = claimWaits;
  }

  /**
   * Starts a server on {@code settings.host()}:{@code settings.port()} (port 0: any free one);
   * creates the token signing key in the database on the first start.
   */
  public static ApiServer start(Database db, Settings settings, Clock clock) {
    return start(db, settings, clock, List.of());
  }

  /** Starts a server as {@link #start(Database, Settings, Clock)}, with these mounted beside it. */
  public static ApiServer start(Database db, Settings settings, Clock clock, List<Mount> mounts) {
    Tokens tokens = Tokens.of(db, clock, settings.tokenLifetime());
    Services services = new Services(db, tokens, new SignIn(db, tokens, clock), clock);
    TaskTokens taskTokens = TaskTokens.of(db, clock);
    ClaimWaits claimWaits = new ClaimWaits(db);
    List<Route> routes =
        concat(
            routes(db, tokens, clock, settings),
            concat(
                ExecutionRoutes.routes(
                    db, clock, taskTokens, claimWaits, settings.logsRoot(), settings.fernetKeys()),
                WorkerRoutes.routes(db, clock, tokens, settings.healthThreshold())));
    Map<String, Object> openApi = OpenApiDocument.of(routes, MonitorRoutes.version());
    String openApiJson = Json.write(openApi);
    MetricsScrape metrics = new MetricsScrape(db);
    Javalin app =
        Javalin.create(
            config -> {
              config.concurrency.useVirtualThreads = true;
              config.startup.showJavalinBanner = false;
              config.startup.showOldJavalinVersionWarning = false;
              config.http.maxRequestSize = Bodies.MAX_BYTES;
              config.http.prefer405over404 = true;
              config.http.defaultContentType = "application/json";
              config.jetty.host = settings.host();
              config.jetty.port = settings.port();
              config.jsonMapper(new Json());
              ErrorResponses.register(config.routes);
              for (Route r : routes) {
                config.routes.addHttpHandler(
                    r.method(), r.path(), ctx -> guard(r, tokens, taskTokens, ctx));
              }
              config.routes.get(
                  "/openapi.json", ctx -> ctx.contentType("application/json").result(openApiJson));
              ApiBrowser.register(config.routes);
              config.routes.get(
                  "/metrics",
                  ctx -> {
                    MetricsScrape.Page page = metrics.scrape(ctx.header("Accept"));
                    ctx.contentType(page.contentType()).result(page.body());
                  });
              for (Mount m : mounts) {
                m.mount(config, services);
              }
            });
    app.start();
    log.debug("API server listening on {}:{}", settings.host(), app.port());
    return new ApiServer(app, routes, claimWaits);
  }

  /** Every endpoint but {@code /openapi.json}, which describes them. */
  static List<Route> routes(Database db, Tokens tokens, Clock clock, Settings settings) {
    List<Route> all = new ArrayList<>();
    all.addAll(AuthRoutes.routes(new SignIn(db, tokens, clock)));
    all.addAll(MonitorRoutes.routes(db, clock, settings.healthThreshold()));
    all.addAll(DagRoutes.routes(db, clock));
    all.addAll(DagRunRoutes.routes(db, clock));
    all.addAll(ClearRoutes.routes(db, clock));
    // before TaskInstanceRoutes: its .../{task_id}/{map_index} would match .../{task_id}/tries too
    all.addAll(TaskLogRoutes.routes(db, tokens, settings.logsRoot()));
    all.addAll(XComRoutes.routes(db));
    all.addAll(TaskInstanceRoutes.routes(db, clock));
    all.addAll(PoolRoutes.routes(db, clock));
    all.addAll(VariableRoutes.routes(db, settings.fernetKeys(), clock));
    all.addAll(ConnectionRoutes.routes(db, settings.fernetKeys(), clock));
    all.addAll(ImportErrorRoutes.routes(db));
    all.addAll(EventLogRoutes.routes(db));
    all.addAll(UserRoutes.routes(db, clock));
    all.addAll(DagSourceRoutes.routes(db, settings.dagsFolder()));
    all.addAll(DagDetailsRoutes.routes(db));
    all.addAll(AssetRoutes.routes(db, clock));
    return List.copyOf(all);
  }

  private static List<Route> concat(List<Route> a, List<Route> b) {
    List<Route> all = new ArrayList<>(a);
    all.addAll(b);
    return List.copyOf(all);
  }

  /**
   * Checks the caller's token and role (a route with no role needs none), then runs the route. A
   * task token ({@link TaskTokens}) is taken on the execution routes only, as a worker's role
   * limited to its try; anywhere else it is not a valid token.
   */
  private static void guard(Route r, Tokens tokens, TaskTokens taskTokens, Context ctx)
      throws Exception {
    Caller caller = null;
    if (r.role() != null) {
      String token = bearer(ctx);
      if (r.path().startsWith(ExecutionRoutes.BASE + "/") && TaskTokens.isTaskToken(token)) {
        TaskTokens.Scope scope = taskTokens.verify(token);
        caller = new Caller("task instance " + scope.taskInstanceId(), Role.WORKER, scope);
      } else {
        caller = tokens.verify(token);
      }
      if (!caller.role().allows(r.role())) {
        throw ApiException.forbidden(
            "the role "
                + caller.role().id()
                + " may not "
                + r.summary().toLowerCase(java.util.Locale.ROOT)
                + ": it needs "
                + r.role().id()
                + (r.role() == Role.WORKER ? "" : " or above"));
      }
    }
    Object response = r.action().handle(ctx, caller);
    if (r.status() == 204) {
      ctx.status(204); // Airflow's answer to a delete: no body
      return;
    }
    if (response instanceof Route.Text text) {
      ctx.status(r.status()).contentType(text.contentType()).result(text.body());
      return;
    }
    ctx.status(r.status()).contentType("application/json").result(Json.write(response));
  }

  private static String bearer(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null || header.isBlank()) {
      throw ApiException.unauthorized(
          "not signed in: send 'Authorization: Bearer TOKEN' with a token from POST /auth/token");
    }
    String[] parts = header.trim().split("\\s+", 2);
    if (parts.length != 2 || !parts[0].equalsIgnoreCase("bearer")) {
      throw ApiException.unauthorized(
          "the Authorization header must be 'Bearer TOKEN' (a token from POST /auth/token)");
    }
    return parts[1];
  }

  /** The port it listens on (the one chosen when it was started with port 0). */
  public int port() {
    return app.port();
  }

  /** The routes it serves, as the OpenAPI document lists them. */
  public List<Route> routes() {
    return routes;
  }

  /** Stops taking requests; requests under way finish first. */
  @Override
  public void close() {
    claimWaits.close(); // waiting claims answer at once
    app.stop();
  }
}
