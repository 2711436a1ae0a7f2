package io.updraft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.updraft.api.ApiServer;
import io.updraft.api.StandaloneAdmin;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code standalone} serves the API in its JVM: on loopback only by default, with an {@code admin}
 * whose random password is printed once and kept in a mode-600 file in the home.
 */
class StandaloneApiTest {
  private static final Pattern API_URL =
      Pattern.compile("API: +http://127\\.0\\.0\\.1:(\\d+)/api/v2");
  private static final Pattern PASSWORD = Pattern.compile("with the password ([A-Za-z0-9]{20})\\b");

  @TempDir Path home;

  private SchedulerService standalone() throws java.io.IOException {
    Files.createDirectories(home.resolve("dags"));
    Settings settings = Settings.resolve(home, null, null, Map.of());
    return new SchedulerService(
        settings,
        Clock.systemUTC(),
        new SchedulerService.Mode(
            "standalone",
            true,
            true,
            true,
            new ApiServer.Settings("127.0.0.1", 0, Duration.ofSeconds(30))));
  }

  private static int port(String banner) {
    Matcher m = API_URL.matcher(banner);
    assertThat(m.find()).as(banner).isTrue();
    return Integer.parseInt(m.group(1));
  }

  private static HttpResponse<String> signIn(int port, String password) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/auth/token"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"username\": \"admin\", \"password\": \"" + password + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theFirstStartCreatesAdminAndPrintsItsPasswordOnce() throws Exception {
    Path file = home.resolve(StandaloneAdmin.FILE);
    String password;
    StringWriter first = new StringWriter();
    try (SchedulerService s = standalone()) {
      s.start(new PrintWriter(first, true));
      Matcher m = PASSWORD.matcher(first.toString());
      assertThat(m.find()).as(first.toString()).isTrue();
      password = m.group(1);
      assertThat(Files.readString(file).strip()).isEqualTo(password);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
      int port = port(first.toString());
      assertThat(signIn(port, password).statusCode()).isEqualTo(201);
      assertThat(signIn(port, "not-the-password").statusCode()).isEqualTo(401);
    }

    StringWriter second = new StringWriter();
    try (SchedulerService s = standalone()) {
      s.start(new PrintWriter(second, true));
      assertThat(second.toString()).doesNotContain(password);
      assertThat(second.toString()).contains("with the password in " + file);
      assertThat(Files.readString(file).strip()).isEqualTo(password);
      assertThat(signIn(port(second.toString()), password).statusCode()).isEqualTo(201);
    }
  }

  /**
   * The API standalone serves reads a DAG's file from the DAGs folder the DAG processor parsed it
   * from, and encrypts a connection's password with the Fernet key standalone created on its first
   * start (the key file is made after the command's settings were read).
   */
  @Test
  void itServesDagSourcesAndStoresSecretsWithTheHomesKey() throws Exception {
    String yaml =
        "dag_id: hello\ntasks:\n  - task_id: say\n    operator: shell\n    command: echo hi\n";
    Files.createDirectories(home.resolve("dags"));
    Files.writeString(home.resolve("dags").resolve("hello.yaml"), yaml);
    StringWriter banner = new StringWriter();
    try (SchedulerService s = standalone()) {
      s.start(new PrintWriter(banner, true));
      Matcher m = PASSWORD.matcher(banner.toString());
      assertThat(m.find()).as(banner.toString()).isTrue();
      int port = port(banner.toString());
      String token =
          new com.fasterxml.jackson.databind.ObjectMapper()
              .readTree(signIn(port, m.group(1)).body())
              .get("access_token")
              .asText();

      HttpResponse<String> source = call(port, token, "GET", "/api/v2/dagSources/hello", null);
      assertThat(source.statusCode()).as(source.body()).isEqualTo(200);
      assertThat(source.body()).contains("\"content\":" + jsonString(yaml));

      HttpResponse<String> created =
          call(
              port,
              token,
              "POST",
              "/api/v2/connections",
              "{\"connection_id\": \"db\", \"conn_type\": \"postgres\", \"password\":"
                  + " \"pw-standalone\"}");
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      assertThat(created.body()).doesNotContain("pw-standalone");
    }
  }

  private static String jsonString(String s) throws Exception {
    return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(s);
  }

  private static HttpResponse<String> call(
      int port, String token, String method, String path, String body) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(
                    method,
                    body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void itListensOnLoopbackOnlyByDefault() throws Exception {
    Optional<InetAddress> outside = nonLoopbackAddress();
    Assumptions.assumeTrue(
        outside.isPresent(), "this machine has no non-loopback IPv4 address to try");
    StringWriter banner = new StringWriter();
    try (SchedulerService s = standalone()) {
      s.start(new PrintWriter(banner, true));
      int port = port(banner.toString());
      try (Socket inside = new Socket()) {
        inside.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      }
      assertThatThrownBy(
              () -> {
                try (Socket socket = new Socket()) {
                  socket.connect(new InetSocketAddress(outside.get(), port), 5_000);
                }
              })
          .isInstanceOf(ConnectException.class);
    }
  }

  /** The defaults of the commands that serve the API: loopback, 8080. */
  @Test
  void theApiCommandsDefaultToLoopback() {
    for (Object command : new Object[] {new StandaloneCommand(), new ApiServerCommand()}) {
      CommandLine cl = new CommandLine(command);
      cl.parseArgs();
      assertThat((String) cl.getCommandSpec().findOption("--host").getValue())
          .isEqualTo("127.0.0.1");
      assertThat((Integer) cl.getCommandSpec().findOption("--port").getValue()).isEqualTo(8080);
    }
  }

  private static Optional<InetAddress> nonLoopbackAddress() throws Exception {
    for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!ni.isUp() || ni.isLoopback()) {
        continue;
      }
      for (InetAddress a : Collections.list(ni.getInetAddresses())) {
        if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
          return Optional.of(a);
        }
      }
    }
    return Optional.empty();
  }
}
