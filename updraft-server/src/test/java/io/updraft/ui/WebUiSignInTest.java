package io.updraft.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.api.ApiServer;
import io.updraft.api.Role;
import io.updraft.api.UserAccounts;
import io.updraft.dag.Dag;
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
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The UI's sign-in over real HTTP to a real server on H2: signed-out pages go to the sign-in page,
 * a wrong password is refused on the page, the session cookie is HttpOnly and SameSite=Strict, a
 * POST without the session's CSRF token is refused, and {@code next} never leaves the server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebUiSignInTest {
  static final Instant NOW = Instant.parse("2024-01-05T00:00:00Z");
  static final Pattern CSRF = Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"");

  @TempDir static Path dir;
  ScratchDatabase scratch;
  Database db;
  ApiServer server;
  HttpClient http;

  @BeforeAll
  void start() {
    scratch = new TestBackend.H2(dir).create();
    db = Database.open(scratch.config());
    db.migrate();
    Dag dag = Dags.dag("orders").task(Tasks.shell("extract", "true")).build();
    new SerializedDagRepository(db)
        .store(dag.dagId(), DagSerializer.serialize(dag), "orders.yaml", NOW);
    new DagRepository(db).upsert(dag, "orders.yaml", true, NOW);
    new UserAccounts(db).create("ann", Role.VIEWER, "ann-password", "test", NOW);
    server =
        ApiServer.start(
            db,
            new ApiServer.Settings("127.0.0.1", 0, Duration.ofSeconds(30)),
            new MovableClock(NOW),
            List.of(new WebUi()));
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  @AfterAll
  void stop() throws Exception {
    server.close();
    db.close();
    scratch.close();
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

  /** Signs in as ann and returns the session cookie ({@code name=value}). */
  String signIn() throws Exception {
    HttpResponse<String> r =
        send("POST", "/login", null, form("username", "ann", "password", "ann-password"));
    assertThat(r.statusCode()).isEqualTo(303);
    String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  @Test
  void aSignedOutBrowserIsSentToSignInAndBack() throws Exception {
    HttpResponse<String> r = send("GET", "/dags?x=1", null, null);
    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(r.headers().firstValue("Location"))
        .hasValue("/login?next=" + URLEncoder.encode("/dags?x=1", StandardCharsets.UTF_8));
  }

  @Test
  void aWrongPasswordIsRefusedOnThePage() throws Exception {
    HttpResponse<String> r =
        send("POST", "/login", null, form("username", "ann", "password", "wrong"));
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.body()).contains("wrong username or password");
    assertThat(r.headers().firstValue("Set-Cookie")).isEmpty();
  }

  @Test
  void theSessionCookieIsHttpOnlyAndSameSiteStrict() throws Exception {
    HttpResponse<String> r =
        send("POST", "/login", null, form("username", "ann", "password", "ann-password"));
    assertThat(r.headers().firstValue("Set-Cookie").orElseThrow())
        .startsWith("updraft_session=")
        .contains("HttpOnly")
        .contains("SameSite=Strict");
  }

  @Test
  void pagesEscapeWhatTheyShow() throws Exception {
    HttpResponse<String> r =
        send("POST", "/login", null, form("username", "<script>x()</script>", "password", "p"));
    assertThat(r.body()).contains("&lt;script&gt;x()&lt;/script&gt;").doesNotContain("<script>x");
    r = send("GET", "/dags", signIn(), null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains(">orders</a>");
    assertThat(r.headers().firstValue("Content-Security-Policy")).isPresent();
    assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
  }

  @Test
  void aPostWithoutTheSessionsCsrfTokenIsRefused() throws Exception {
    String cookie = signIn();
    assertThat(send("POST", "/logout", cookie, form("_csrf", "forged")).statusCode())
        .isEqualTo(403);
    assertThat(send("POST", "/logout", cookie, "").statusCode()).isEqualTo(403);
    Matcher m = CSRF.matcher(send("GET", "/dags", cookie, null).body());
    assertThat(m.find()).isTrue();
    HttpResponse<String> out = send("POST", "/logout", cookie, form("_csrf", m.group(1)));
    assertThat(out.statusCode()).isEqualTo(303);
    assertThat(out.headers().firstValue("Set-Cookie").orElseThrow())
        .startsWith("updraft_session=;");
  }

  @Test
  void aForgedSessionCookieIsSignedOut() throws Exception {
    HttpResponse<String> r = send("GET", "/dags", "updraft_session=eyJhbGciOiJub25lIn0.e30.", null);
    assertThat(r.statusCode()).isEqualTo(302);
  }

  @Test
  void afterSignInTheBrowserGoesOnlyToAPathOfThisServer() throws Exception {
    for (String next : List.of("//evil.example/x", "https://evil.example", "/\\evil", "x")) {
      HttpResponse<String> r =
          send(
              "POST",
              "/login",
              null,
              form("username", "ann", "password", "ann-password", "next", next));
      assertThat(r.headers().firstValue("Location")).as(next).hasValue("/");
    }
    HttpResponse<String> r =
        send(
            "POST",
            "/login",
            null,
            form("username", "ann", "password", "ann-password", "next", "/dags?tags=a"));
    assertThat(r.headers().firstValue("Location")).hasValue("/dags?tags=a");
  }
}
