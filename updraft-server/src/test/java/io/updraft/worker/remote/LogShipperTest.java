package io.updraft.worker.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What goes on the wire when a remote try ends (decisions/0181): the last piece of its log rides on
 * the end, in one request; a log longer than a request ships first; an end refused with its piece
 * is followed by the piece on its own and the end again. The API server's side (the piece is stored
 * before the end is recorded) is {@code ExecutionApiContractTest}'s; here a recording HTTP server
 * answers as it does.
 */
class LogShipperTest {
  @TempDir Path dir;

  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  /** An API server that records each request as {@code METHOD path body} and answers {@code f}. */
  private ExecutionClient api(Function<String, Answer> f) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        (HttpExchange ex) -> {
          String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          String request = ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + " " + body;
          requests.add(request);
          Answer a = f.apply(request);
          byte[] out = a.json().getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(a.status(), out.length);
          ex.getResponseBody().write(out);
          ex.close();
        });
    server.start();
    return new ExecutionClient("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private record Answer(int status, String json) {}

  /** Answers as the API server does, keeping the log it was sent. */
  private static final class Api implements Function<String, Answer> {
    final StringBuilder log = new StringBuilder();
    boolean refuseEndsWithLog;

    @Override
    public Answer apply(String request) {
      try {
        JsonNode body = ExecutionClient.JSON.readTree(request.substring(request.indexOf('{')));
        if (request.startsWith("POST") && request.contains("/logs")) {
          append(body);
          return new Answer(200, "{\"size\": " + size() + "}");
        }
        if (body.has("log")) {
          if (refuseEndsWithLog) {
            return new Answer(409, "{\"detail\": \"this API server keeps no logs\"}");
          }
          append(body.get("log"));
          return new Answer(
              200,
              "{\"state\": \"success\", \"handed_back\": false, \"log_size\": " + size() + "}");
        }
        return new Answer(200, "{\"state\": \"success\", \"handed_back\": false}");
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    private void append(JsonNode piece) {
      long offset = piece.get("offset").asLong();
      byte[] text = piece.get("text").asText().getBytes(StandardCharsets.UTF_8);
      int skip = (int) (size() - offset);
      log.append(new String(text, skip, text.length - skip, StandardCharsets.UTF_8));
    }

    private long size() {
      return log.toString().getBytes(StandardCharsets.UTF_8).length;
    }
  }

  private static com.fasterxml.jackson.databind.node.ObjectNode success() {
    return ExecutionClient.JSON.createObjectNode().put("state", "success");
  }

  private long logPosts() {
    return requests.stream().filter(r -> r.startsWith("POST")).count();
  }

  @Test
  void theLastPieceOfTheLogRidesOnTheEnd() throws Exception {
    Api api = new Api();
    Path file = Files.writeString(dir.resolve("1.log"), "first\n");
    LogShipper shipper = new LogShipper(file, api(api), 7);
    shipper.ship("t");
    Files.writeString(file, "first\nsecond\nno newline at the end", StandardCharsets.UTF_8);

    JsonNode answer = shipper.end("t", success());

    assertThat(answer.get("state").asText()).isEqualTo("success");
    assertThat(requests).hasSize(2);
    assertThat(requests.get(1))
        .startsWith("PATCH /execution/task-instances/7/state")
        .contains("\"offset\":6");
    assertThat(api.log).hasToString("first\nsecond\nno newline at the end");
  }

  @Test
  void aTryWithoutALogEndsWithoutAPiece() throws Exception {
    Api api = new Api();
    LogShipper shipper = new LogShipper(dir.resolve("none.log"), api(api), 7);
    shipper.end("t", success());
    assertThat(requests).singleElement().asString().doesNotContain("\"log\"");
  }

  @Test
  void aLogLongerThanARequestShipsFirstAndItsLastPieceRidesOnTheEnd() throws Exception {
    Api api = new Api();
    String line = "x".repeat(999) + "\n";
    String text = line.repeat(LogShipper.MAX_PIECE / 1000 * 2 + 10);
    Path file = Files.writeString(dir.resolve("big.log"), text);
    LogShipper shipper = new LogShipper(file, api(api), 7);

    shipper.end("t", success());

    assertThat(logPosts()).isEqualTo(2);
    assertThat(requests.getLast()).startsWith("PATCH").contains("\"log\"");
    assertThat(api.log).hasToString(text);
  }

  @Test
  void anEndRefusedWithItsPieceIsSentAgainAfterThePieceOnItsOwn() throws Exception {
    Api api = new Api();
    api.refuseEndsWithLog = true;
    Path file = Files.writeString(dir.resolve("1.log"), "only line\n");
    LogShipper shipper = new LogShipper(file, api(api), 7);

    JsonNode answer = shipper.end("t", success());

    assertThat(answer.get("state").asText()).isEqualTo("success");
    assertThat(requests).hasSize(3);
    assertThat(requests.get(0)).startsWith("PATCH").contains("\"log\"");
    assertThat(requests.get(1)).startsWith("POST /execution/task-instances/7/logs");
    assertThat(requests.get(2)).startsWith("PATCH").doesNotContain("\"log\"");
    assertThat(api.log).hasToString("only line\n");
  }

  @Test
  void anEndThatCannotBeReportedThrows() throws Exception {
    api(r -> new Answer(409, "{\"detail\": \"stop: the task instance is now failed\"}"));
    LogShipper shipper = new LogShipper(dir.resolve("none.log"), new ExecutionClient(url()), 7);
    assertThatThrownBy(() -> shipper.end("t", success()))
        .isInstanceOf(ExecutionClient.Refused.class)
        .hasMessageContaining("now failed");
  }

  @Test
  void anEndTheApiServerDoesNotTakeIsReportedAgainUntilItDoes() throws Exception {
    // A restarting API server: unreachable behind its proxy (502) for its first four requests.
    Api api = new Api();
    java.util.concurrent.atomic.AtomicInteger seen =
        new java.util.concurrent.atomic.AtomicInteger();
    ExecutionClient client =
        api(
            r ->
                seen.incrementAndGet() <= 4
                    ? new Answer(502, "{\"detail\": \"down\"}")
                    : api.apply(r));
    Path file = Files.writeString(dir.resolve("1.log"), "the try's only line\n");
    LogShipper shipper = new LogShipper(file, client, 7);

    JsonNode answer = shipper.endRetrying(() -> "t", success(), Duration.ofSeconds(30));

    assertThat(answer.get("state").asText()).isEqualTo("success");
    assertThat(requests.getLast()).startsWith("PATCH /execution/task-instances/7/state");
    assertThat(api.log).hasToString("the try's only line\n");
  }

  @Test
  void anEndTheApiServerRefusesIsNotReportedAgain() throws Exception {
    api(r -> new Answer(409, "{\"detail\": \"stop: the task instance is now failed\"}"));
    LogShipper shipper = new LogShipper(dir.resolve("none.log"), new ExecutionClient(url()), 7);

    assertThat(shipper.endRetrying(() -> "t", success(), Duration.ofSeconds(30))).isNull();
    assertThat(requests).hasSize(1);
  }

  @Test
  void anEndIsGivenUpOnceTheHeartbeatTimeoutHasPassed() throws Exception {
    api(r -> new Answer(503, "{\"detail\": \"the metadata database is away\"}"));
    LogShipper shipper = new LogShipper(dir.resolve("none.log"), new ExecutionClient(url()), 7);

    assertThat(shipper.endRetrying(() -> "t", success(), Duration.ofMillis(700))).isNull();
    // Sent at 0, 200 and 600 ms: the next pause (800 ms) would end past the timeout.
    assertThat(requests).hasSize(3);
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }
}
