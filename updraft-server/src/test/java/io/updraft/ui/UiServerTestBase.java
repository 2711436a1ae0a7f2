package io.updraft.ui;

import io.updraft.api.ApiServer;
import io.updraft.api.Role;
import io.updraft.api.UserAccounts;
import io.updraft.connections.Fernet;
import io.updraft.connections.FernetKeys;
import io.updraft.dag.Dag;
import io.updraft.scheduler.MovableClock;
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
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.junit.jupiter.api.io.TempDir;

/**
 * A real API server with the web UI on a scratch H2 database, a DAGs folder and a logs folder, one
 * signed-in browser per role ({@link #cookie}, {@link #csrf}); subclasses seed what they need in
 * {@link #seed}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class UiServerTestBase {
  static final Instant NOW = Instant.parse("2024-01-05T00:00:00Z");
  static final Pattern CSRF = Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"");

  @TempDir static Path dir;
  ScratchDatabase scratch;
  Database db;
  ApiServer server;
  HttpClient http;
  Path dagsFolder;
  Path logsFolder;
  final Map<Role, String> cookies = new EnumMap<>(Role.class);
  final Map<Role, String> csrfs = new EnumMap<>(Role.class);

  /** Seeds the database and folders before the server starts. */
  abstract void seed() throws Exception;

  @BeforeAll
  void start() throws Exception {
    scratch = new TestBackend.H2(dir).create();
    db = Database.open(scratch.config());
    db.migrate();
    dagsFolder = Files.createDirectories(dir.resolve("dags"));
    logsFolder = Files.createDirectories(dir.resolve("logs"));
    UserAccounts accounts = new UserAccounts(db);
    for (Role role : List.of(Role.VIEWER, Role.USER, Role.OP, Role.ADMIN)) {
      accounts.create(role.id(), role, "password-of-" + role.id(), "test", NOW);
    }
    seed();
    server =
        ApiServer.start(
            db,
            new ApiServer.Settings("127.0.0.1", 0, Duration.ofSeconds(30)),
            new MovableClock(NOW),
            List.of(
                new WebUi(
                    new WebUi.Files(
                        dagsFolder,
                        logsFolder,
                        FernetKeys.parse(Fernet.generateKey(), "the test")))));
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    for (Role role : List.of(Role.VIEWER, Role.USER, Role.OP, Role.ADMIN)) {
      HttpResponse<String> r =
          send(
              "POST",
              "/login",
              null,
              form("username", role.id(), "password", "password-of-" + role.id()));
      String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
      String cookie = setCookie.substring(0, setCookie.indexOf(';'));
      cookies.put(role, cookie);
      Matcher m = CSRF.matcher(send("GET", "/dags", cookie, null).body());
      m.find();
      csrfs.put(role, m.group(1));
    }
  }

  @AfterAll
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    db.close();
    scratch.close();
  }

  /** Stores a DAG as the DAG processor would, its file {@code <dag_id>.yaml} in the DAGs folder. */
  void store(Dag dag, String text) throws Exception {
    Path file = dagsFolder.resolve(dag.dagId() + ".yaml");
    Files.writeString(file, text);
    new SerializedDagRepository(db)
        .store(dag.dagId(), DagSerializer.serialize(dag), file.toString(), NOW);
    new DagRepository(db).upsert(dag, file.toString(), true, NOW);
  }

  String cookie(Role role) {
    return cookies.get(role);
  }

  HttpResponse<String> get(Role role, String path) throws Exception {
    return send("GET", path, cookie(role), null);
  }

  /** A GET as htmx makes it (a fragment). */
  HttpResponse<String> htmx(Role role, String path) throws Exception {
    HttpRequest r =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .header("Cookie", cookie(role))
            .header("HX-Request", "true")
            .GET()
            .build();
    return http.send(r, HttpResponse.BodyHandlers.ofString());
  }

  /** A form POST with the role's session and CSRF token. */
  HttpResponse<String> post(Role role, String path, String... pairs) throws Exception {
    String[] all = new String[pairs.length + 2];
    all[0] = "_csrf";
    all[1] = csrfs.get(role);
    System.arraycopy(pairs, 0, all, 2, pairs.length);
    return send("POST", path, cookie(role), form(all));
  }

  HttpResponse<String> send(String method, String path, String cookie, String form)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
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
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
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

  static String url(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
