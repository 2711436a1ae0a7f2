package io.updraft.ui;

import io.updraft.api.ApiServer;
import io.updraft.api.Role;
import io.updraft.api.UserAccounts;
import io.updraft.dag.Dag;
import io.updraft.scheduler.DagActions;
import io.updraft.scheduler.MovableClock;
import io.updraft.sdk.Dags;
import io.updraft.sdk.Tasks;
import io.updraft.serde.DagSerializer;
import io.updraft.store.DagRepository;
import io.updraft.store.Database;
import io.updraft.store.ScratchDatabase;
import io.updraft.store.SerializedDagRepository;
import io.updraft.store.TestBackend;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * A real API server with the web UI on a scratch database, seeded with two DAGs ({@code orders}:
 * extract → load, a param and tags; {@code cleanup}), one run of orders, and a signed-in browser
 * (session cookie and CSRF token) for each role.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WebUiTestBase {
  static final Instant NOW = Instant.parse("2024-01-05T00:00:00Z");
  static final String RUN = "seeded";
  private static final Pattern CSRF = Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"");

  /** A signed-in browser. */
  record Browser(String cookie, String csrf) {}

  ScratchDatabase scratch;
  Database db;
  MovableClock clock;
  ApiServer server;
  WebUi ui;
  HttpClient http;
  final Map<Role, Browser> browsers = new EnumMap<>(Role.class);

  abstract TestBackend backend();

  /** How often the live feed reads without a signal. */
  Duration poll() {
    return Duration.ofMillis(500);
  }

  static Dag orders() {
    return Dags.dag("orders")
        .tags("sales", "daily")
        .param("limit", 10)
        .param("region", "eu")
        .param("dry", false)
        .param("ids", List.of(1, 2))
        .task(Tasks.shell("extract", "true"))
        .task(Tasks.shell("load", "true").upstream("extract"))
        .task(Tasks.shell("report", "true").upstream("load"))
        .build();
  }

  static Dag cleanup() {
    return Dags.dag("cleanup").tags("ops").task(Tasks.shell("sweep", "true")).build();
  }

  void store(Dag dag) {
    new SerializedDagRepository(db)
        .store(dag.dagId(), DagSerializer.serialize(dag), dag.dagId() + ".yaml", NOW);
    new DagRepository(db).upsert(dag, dag.dagId() + ".yaml", true, NOW);
  }

  @BeforeAll
  void startServer() throws Exception {
    scratch = backend().create();
    db = Database.open(scratch.config());
    db.migrate();
    clock = new MovableClock(NOW);
    store(orders());
    store(cleanup());
    new DagRepository(db).setPaused("orders", false);
    DagActions.trigger(db, "orders", Instant.parse("2024-01-02T00:00:00Z"), RUN, null, "t", NOW);
    UserAccounts accounts = new UserAccounts(db);
    for (Role role : List.of(Role.VIEWER, Role.USER, Role.OP, Role.ADMIN)) {
      accounts.create(role.id(), role, role.id() + "-password", "test", NOW);
    }
    ui = new WebUi(poll());
    server =
        ApiServer.start(
            db, new ApiServer.Settings("127.0.0.1", 0, Duration.ofSeconds(30)), clock, List.of(ui));
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    for (Role role : List.of(Role.VIEWER, Role.USER, Role.OP, Role.ADMIN)) {
      browsers.put(role, signIn(role.id(), role.id() + "-password"));
    }
  }

  @AfterAll
  void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
    if (db != null) {
      db.close();
    }
    if (scratch != null) {
      scratch.close();
    }
  }

  Browser signIn(String username, String password) throws Exception {
    HttpResponse<String> r =
        send("POST", "/login", null, form("username", username, "password", password));
    if (r.statusCode() != 303) {
      throw new IllegalStateException("sign-in of " + username + ": " + r.statusCode());
    }
    String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    Matcher m = CSRF.matcher(send("GET", "/dags", cookie, null).body());
    if (!m.find()) {
      throw new IllegalStateException("no CSRF token on /dags");
    }
    return new Browser(cookie, m.group(1));
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.port() + path;
  }

  HttpResponse<String> send(String method, String path, String cookie, String form)
      throws Exception {
    return send(method, path, cookie, form, Map.of());
  }

  HttpResponse<String> send(
      String method, String path, String cookie, String form, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url(path)))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                form == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(form));
    if (form != null) {
      b.header("Content-Type", "application/x-www-form-urlencoded");
    }
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A GET as {@code role}. */
  HttpResponse<String> get(Role role, String path) throws Exception {
    return send("GET", path, browsers.get(role).cookie(), null);
  }

  /** A form POST as {@code role}, with its CSRF token. */
  HttpResponse<String> post(Role role, String path, String... pairs) throws Exception {
    Browser b = browsers.get(role);
    String[] all = new String[pairs.length + 2];
    all[0] = "_csrf";
    all[1] = b.csrf();
    System.arraycopy(pairs, 0, all, 2, pairs.length);
    return send("POST", path, b.cookie(), form(all));
  }

  static String form(String... pairs) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < pairs.length; i += 2) {
      s.append(i == 0 ? "" : "&")
          .append(pairs[i])
          .append('=')
          .append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
    }
    return s.toString();
  }
}
