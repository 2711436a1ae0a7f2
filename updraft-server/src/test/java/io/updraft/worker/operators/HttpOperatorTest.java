package io.updraft.worker.operators;

import static io.updraft.worker.operators.OperatorTries.log;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.updraft.connections.Connection;
import io.updraft.state.TaskInstanceState;
import io.updraft.worker.FailureKind;
import io.updraft.worker.TryExecution;
import io.updraft.worker.TryOutcome;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code http} operator against a real HTTP server in the test. */
class HttpOperatorTest {

  record Seen(String method, String path, com.sun.net.httpserver.Headers headers, String body) {}

  @TempDir Path logs;
  HttpServer server;
  String base;
  OperatorTries tries;
  final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
  final CountDownLatch release = new CountDownLatch(1);
  final CountDownLatch hanging = new CountDownLatch(1);

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
    tries = new OperatorTries(logs);
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
  }

  private void handle(HttpExchange ex) throws IOException {
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    seen.add(
        new Seen(
            ex.getRequestMethod(), ex.getRequestURI().toString(), ex.getRequestHeaders(), body));
    String path = ex.getRequestURI().getPath();
    switch (path) {
      case "/api/orders" -> reply(ex, 200, "[{\"id\":1},{\"id\":2}]");
      case "/api/created" -> reply(ex, 201, "{\"ok\":true,\"n\":3}");
      case "/broken" -> reply(ex, 503, "upstream is down\nretry later");
      case "/big" -> reply(ex, 200, "x".repeat(2 * 1024 * 1024));
      case "/hang" -> {
        hanging.countDown();
        try {
          release.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        reply(ex, 200, "late");
      }
      default -> reply(ex, 404, "no " + path);
    }
  }

  private static void reply(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }

  private Connection api(String login, String password, Map<String, Object> extra) {
    return new Connection(
        "api", "http", "127.0.0.1", server.getAddress().getPort(), login, password, "http", extra);
  }

  @Test
  void getThroughAConnectionReturnsTheBody() throws Exception {
    tries.conn(api("etl", "s3cret", Map.of("headers", Map.of("X-Team", "data"))));
    TryOutcome o =
        tries.run(
            "http",
            Map.of("conn", "api", "endpoint", "/api/orders", "headers", Map.of("X-Run", "1")));
    assertThat(o.state()).as(o.error()).isEqualTo(TaskInstanceState.SUCCESS);
    assertThat(o.returnValue()).isEqualTo("[{\"id\":1},{\"id\":2}]");
    Seen s = seen.poll(5, TimeUnit.SECONDS);
    assertThat(s.method()).isEqualTo("GET");
    assertThat(s.path()).isEqualTo("/api/orders");
    assertThat(s.headers().getFirst("Authorization"))
        .isEqualTo(
            "Basic " + java.util.Base64.getEncoder().encodeToString("etl:s3cret".getBytes()));
    assertThat(s.headers().getFirst("X-Team")).isEqualTo("data");
    assertThat(s.headers().getFirst("X-Run")).isEqualTo("1");
    String log = log(o);
    assertThat(log)
        .contains("[updraft] request: GET " + base + "/api/orders")
        .contains("[updraft] response: 200 (HTTP/1.1, 19 bytes, ")
        .contains("try finished: success")
        .doesNotContain("s3cret");
  }

  @Test
  void postsAMapAsJsonAndParsesTheResponse() throws Exception {
    tries.conn(api(null, null, Map.of("token", "tok-123")));
    TryOutcome o =
        tries.run(
            "http",
            Map.of(
                "conn", "api",
                "method", "post",
                "endpoint", "api/created",
                "body", Map.of("day", "2024-01-31"),
                "expect_status", List.of(201),
                "response_xcom", "json"));
    assertThat(o.state()).as(o.error()).isEqualTo(TaskInstanceState.SUCCESS);
    assertThat(o.returnValue()).isEqualTo(Map.of("ok", true, "n", 3));
    Seen s = seen.poll(5, TimeUnit.SECONDS);
    assertThat(s.method()).isEqualTo("POST");
    assertThat(s.body()).isEqualTo("{\"day\":\"2024-01-31\"}");
    assertThat(s.headers().getFirst("Content-Type")).isEqualTo("application/json");
    assertThat(s.headers().getFirst("Authorization")).isEqualTo("Bearer tok-123");
  }

  @Test
  void aStatusOutsideExpectStatusFailsWithTheStartOfTheBody() throws Exception {
    tries.conn(api(null, null, Map.of()));
    TryOutcome o = tries.run("http", Map.of("conn", "api", "endpoint", "/broken"));
    assertThat(o.state()).isEqualTo(TaskInstanceState.FAILED);
    assertThat(o.failure()).isEqualTo(FailureKind.OPERATOR);
    assertThat(o.error())
        .isEqualTo(
            "task 't' (connection 'api'): HTTP 503 from GET "
                + base
                + "/broken (expected 2xx): upstream is down retry later");
    assertThat(log(o)).contains("unexpected status 503; the body starts: upstream is down");

    // A 201 where 200 is expected fails too; a 404 where it is expected succeeds.
    assertThat(
            tries.run("http", Map.of("url", base + "/api/created", "expect_status", 200)).error())
        .contains("HTTP 201 from GET " + base + "/api/created (expected [200])");
    assertThat(tries.run("http", Map.of("url", base + "/nothing", "expect_status", 404)).state())
        .isEqualTo(TaskInstanceState.SUCCESS);
  }

  @Test
  void anUnreachableHostFailsNamingIt() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    TryOutcome o = tries.run("http", Map.of("url", "http://127.0.0.1:" + closed + "/x"));
    assertThat(o.state()).isEqualTo(TaskInstanceState.FAILED);
    assertThat(o.error())
        .startsWith("task 't': cannot reach GET http://127.0.0.1:" + closed + "/x: ")
        .doesNotContain("\n");
  }

  @Test
  void anUnknownConnectionFailsNamingIt() {
    TryOutcome o = tries.run("http", Map.of("conn", "nope", "endpoint", "/x"));
    assertThat(o.state()).isEqualTo(TaskInstanceState.FAILED);
    assertThat(o.error())
        .startsWith("task 't' (connection 'nope'): connection 'nope' is not defined")
        .contains("UPDRAFT_CONN_NOPE");
  }

  @Test
  void executionTimeoutCancelsTheRequest() throws Exception {
    TryOutcome o = tries.run("http", Map.of("url", base + "/hang"), Duration.ofMillis(300));
    assertThat(o.state()).isEqualTo(TaskInstanceState.FAILED);
    assertThat(o.failure()).isEqualTo(FailureKind.TIMED_OUT);
    assertThat(o.error()).isEqualTo("timed out after 300ms");
    assertThat(log(o)).contains("timed out after PT0.3S: stopping the operator");
  }

  @Test
  void aRunningRequestHeartbeatsAndCancelStopsIt() throws Exception {
    CountDownLatch beats = new CountDownLatch(3);
    tries.heartbeat = now -> beats.countDown();
    TryExecution running = tries.start("http", Map.of("url", base + "/hang"));
    assertThat(hanging.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(beats.await(10, TimeUnit.SECONDS)).as("heartbeats while the request waits").isTrue();
    running.cancel("marked failed by admin");
    TryOutcome o = running.outcome().get(10, TimeUnit.SECONDS);
    assertThat(o.failure()).isEqualTo(FailureKind.CANCELLED);
    assertThat(o.error()).isEqualTo("cancelled: marked failed by admin");
  }

  @Test
  void aBodyOverTheXComLimitFailsUnlessItIsNotKept() {
    TryOutcome big = tries.run("http", Map.of("url", base + "/big"));
    assertThat(big.state()).isEqualTo(TaskInstanceState.FAILED);
    assertThat(big.error()).contains("larger than core.max_xcom_size");
    TryOutcome none = tries.run("http", Map.of("url", base + "/big", "response_xcom", "none"));
    assertThat(none.state()).isEqualTo(TaskInstanceState.SUCCESS);
    assertThat(none.returnValue()).isNull();
  }

  @Test
  void aBodyThatIsNotJsonFailsWhenJsonIsAsked() {
    TryOutcome o =
        tries.run(
            "http",
            Map.of("url", base + "/nothing-here", "expect_status", 404, "response_xcom", "json"));
    assertThat(o.state()).isEqualTo(TaskInstanceState.FAILED);
    assertThat(o.error())
        .contains("response_xcom is json but the body is not JSON")
        .contains("no /nothing-here");
  }
}
