package io.updraft.ui;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.updraft.UpdraftException;
import io.updraft.api.ApiException;
import io.updraft.api.ApiServer;
import io.updraft.connections.FernetKeys;
import io.updraft.scheduler.DagActions;
import io.updraft.scheduler.DagTags;
import io.updraft.scheduler.DagVersions;
import io.updraft.store.SerializedDagRepository;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The web UI (SPEC §4), mounted on the API server: server-rendered pages ({@link Templates}) with
 * htmx for partial updates, its scripts from WebJars, no Node toolchain. Every {@link Page} is
 * registered here behind one guard: a signed-out browser is sent to {@code /login}, a role too
 * small gets a 403 page, a POST without this session's CSRF token is refused.
 */
public final class WebUi implements ApiServer.Mount {

  /**
   * What the pages read besides the database: the DAGs folder (a DAG's source), the logs folder (a
   * try's log) and the keys that decrypt variables and connections; a null folder: not shown.
   */
  public record Files(Path dagsFolder, Path logsFolder, FernetKeys fernetKeys) {
    public static final Files NONE = new Files(null, null, FernetKeys.none());

    public Files {
      fernetKeys = fernetKeys == null ? FernetKeys.none() : fernetKeys;
    }
  }

  private final Duration poll;
  private final Files files;
  private LiveFeed feed;

  /**
   * The UI with its live feed reading changes every half second at most (SPEC §4), without DAG
   * sources, logs or keys.
   */
  public WebUi() {
    this(Duration.ofMillis(500), Files.NONE);
  }

  /** The UI of a server with these folders and keys. */
  public WebUi(Files files) {
    this(Duration.ofMillis(500), files);
  }

  /** A test's UI: {@code poll} long, the feed reads only when woken ({@link LiveFeed#wake}). */
  WebUi(Duration poll) {
    this(poll, Files.NONE);
  }

  WebUi(Duration poll, Files files) {
    this.poll = poll;
    this.files = files;
  }

  /** The live feed, once mounted. */
  LiveFeed feed() {
    return feed;
  }

  /** Every page answers with these: no framing, no sniffing, scripts only from this server. */
  private static final Map<String, String> SECURITY_HEADERS =
      Map.of(
          "Content-Security-Policy",
          "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline';"
              + " script-src 'self'; connect-src 'self'; frame-ancestors 'none';"
              + " base-uri 'none'; form-action 'self'",
          "X-Frame-Options",
          "DENY",
          "X-Content-Type-Options",
          "nosniff",
          "Referrer-Policy",
          "same-origin");

  @Override
  public void mount(JavalinConfig config, ApiServer.Services services) {
    Sessions sessions = new Sessions(services.tokens());
    Templates templates = new Templates();
    feed = new LiveFeed(services.db(), services.clock(), poll);
    Ui ui =
        new Ui(
            services.db(),
            services.clock(),
            services.signIn(),
            sessions,
            new DagVersions(new SerializedDagRepository(services.db())),
            new DagTags(services.db()),
            files);
    config.events.serverStopping(feed::close);
    config.routes.addHttpHandler(
        HandlerType.GET, LiveEvents.PATH, ctx -> LiveEvents.open(ctx, sessions, feed));
    UiAssets.register(config);
    for (Page p : pages(ui)) {
      config.routes.addHttpHandler(p.method(), p.path(), ctx -> serve(p, sessions, templates, ctx));
    }
  }

  /** Every page of the UI. */
  static List<Page> pages(Ui ui) {
    List<Page> all = new ArrayList<>();
    all.addAll(SignInPages.pages(ui));
    all.addAll(DagListPage.pages(ui));
    all.addAll(GridPage.pages(ui));
    all.addAll(TriggerPage.pages(ui));
    all.addAll(RunActionPages.pages(ui));
    all.addAll(GraphPage.pages(ui));
    all.addAll(SourcePage.pages(ui));
    all.addAll(RunPages.pages(ui));
    all.addAll(TaskInstancePages.pages(ui));
    all.addAll(PoolPages.pages(ui));
    all.addAll(WorkersPage.pages(ui));
    all.addAll(VariablePages.pages(ui));
    all.addAll(ConnectionPages.pages(ui));
    all.addAll(ImportErrorsPage.pages(ui));
    all.addAll(AuditLogPage.pages(ui));
    all.addAll(UserPages.pages(ui));
    return List.copyOf(all);
  }

  static void securityHeaders(Context ctx) {
    SECURITY_HEADERS.forEach(ctx::header);
  }

  private static void serve(Page p, Sessions sessions, Templates templates, Context ctx)
      throws Exception {
    SECURITY_HEADERS.forEach(ctx::header);
    Session session = sessions.current(ctx);
    View view;
    try {
      if (p.role() != null) {
        if (session == null) {
          signInFirst(ctx);
          return;
        }
        if (!session.caller().role().allows(p.role())) {
          throw ApiException.forbidden(
              "your role ("
                  + session.caller().role().id()
                  + ") may not do this: it needs "
                  + p.role().id()
                  + " or above");
        }
      }
      if (p.method() == HandlerType.POST && session != null) {
        Sessions.checkCsrf(ctx, session);
      }
      view = p.action().handle(ctx, session);
    } catch (ApiException e) {
      view = error(e.status(), e.getMessage());
    } catch (DagActions.NotFoundException e) {
      view = error(404, e.getMessage());
    } catch (DagActions.ConflictException e) {
      view = error(409, e.getMessage());
    } catch (UpdraftException e) {
      view = error(400, e.getMessage());
    }
    if (view != null) {
      render(ctx, templates, view, session);
    }
  }

  private static View error(int status, String message) {
    return View.of("error", Map.of("status", status, "message", message)).withStatus(status);
  }

  private static void render(Context ctx, Templates templates, View view, Session session) {
    Map<String, Object> model = view.model();
    model.put("session", session);
    model.put("csrf", session == null ? "" : session.csrf());
    model.put("path", ctx.path());
    model.put("section", section(ctx.path()));
    model.put("partial", ctx.header("HX-Request") != null);
    ctx.status(view.status())
        .contentType("text/html; charset=utf-8")
        .result(templates.render(view.template(), model));
  }

  /** The path's first segment ({@code dags} for {@code /dags/x/grid}): the menu marks it. */
  private static String section(String path) {
    int end = path.indexOf('/', 1);
    return end < 0 ? path.substring(1) : path.substring(1, end);
  }

  /** A page read while signed out goes to the sign-in page, which comes back here after. */
  private static void signInFirst(Context ctx) {
    if (ctx.method() != HandlerType.GET) {
      throw ApiException.unauthorized("signed out: sign in again and repeat the action");
    }
    String back = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
    if (ctx.header("HX-Request") != null) {
      ctx.header("HX-Redirect", "/login");
      ctx.status(401);
      return;
    }
    ctx.redirect("/login?next=" + URLEncoder.encode(back, StandardCharsets.UTF_8));
  }

  /** Only a path on this server: {@code /x}, never {@code //host} or {@code /\host}. */
  static String localPath(String next) {
    if (next == null
        || !next.startsWith("/")
        || next.startsWith("//")
        || next.startsWith("/\\")
        || next.toLowerCase(Locale.ROOT).contains("://")
        || next.chars().anyMatch(c -> c < 0x20)) {
      return "/";
    }
    return next;
  }
}
