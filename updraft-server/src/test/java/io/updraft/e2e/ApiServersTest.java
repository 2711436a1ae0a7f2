package io.updraft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.api.Role;
import io.updraft.api.UserAccounts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code updraft api-server} as its own process: two of them on one database share everything
 * through it (a token from one works on the other), and each stops cleanly on SIGTERM.
 */
abstract class ApiServersTest extends HomeTestBase {
  private static final Pattern URL =
      Pattern.compile("running on http://127\\.0\\.0\\.1:(\\d+)/api/v2");
  private static final String BANNER = "Updraft API server is running on";

  ApiServersTest() {
    super(Map.of(), Duration.ofSeconds(60));
  }

  private static int port(ChildJvm p) {
    Matcher m = URL.matcher(p.output());
    assertThat(m.find()).as(p.output()).isTrue();
    return Integer.parseInt(m.group(1));
  }

  private static HttpResponse<String> send(
      int port, String method, String path, String token, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void twoServersOnOneDatabaseAcceptEachOthersTokensAndStopOnSigterm() throws Exception {
    site.migrate();
    db(
        d -> {
          new UserAccounts(d).create("alice", Role.USER, "alice-password", "test", Instant.now());
          return null;
        });
    ChildJvm a = site.updraft("api-a", "api-server", "--port", "0");
    ChildJvm b = site.updraft("api-b", "api-server", "--port", "0");
    a.awaitOutput(BANNER, Duration.ofSeconds(60));
    b.awaitOutput(BANNER, Duration.ofSeconds(60));

    HttpResponse<String> signedIn =
        send(
            port(a),
            "POST",
            "/auth/token",
            null,
            "{\"username\": \"alice\", \"password\": \"alice-password\"}");
    assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(201);
    String token =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(signedIn.body())
            .get("access_token")
            .asText();

    HttpResponse<String> onB = send(port(b), "GET", "/api/v2/dags", token, null);
    assertThat(onB.statusCode()).as(onB.body()).isEqualTo(200);
    assertThat(onB.body()).contains("\"total_entries\":0");
    assertThat(send(port(b), "GET", "/api/v2/dags", null, null).statusCode()).isEqualTo(401);

    assertThat(a.terminate(Duration.ofSeconds(30))).as(a.output()).isZero();
    assertThat(a.output()).contains("Stopped.");
    HttpResponse<String> stillOnB = send(port(b), "GET", "/api/v2/version", null, null);
    assertThat(stillOnB.statusCode()).isEqualTo(200);
    assertThat(b.terminate(Duration.ofSeconds(30))).as(b.output()).isZero();
  }
}
