package io.updraft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dags test} runs the in-JVM operators end to end: http, trigger_dag, their XComs. */
class DagsTestInJvmOperatorsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path home;
  @TempDir Path dags;
  HttpServer server;
  int port;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        ex -> {
          boolean ok = ex.getRequestURI().getPath().equals("/orders/2024-01-02");
          byte[] body = (ok ? "{\"count\": 42}" : "no such day").getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(ok ? 200 : 404, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    server.start();
    port = server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private static Map<String, String> states(JsonNode result) {
    Map<String, String> m = new HashMap<>();
    result.get("tasks").forEach(t -> m.put(t.get("task_id").asText(), t.get("state").asText()));
    return m;
  }

  @Test
  void httpAndTriggerDagRunAndPassTheirXComs() throws Exception {
    Files.writeString(
        dags.resolve("target.yaml"),
        """
        dag_id: target
        schedule: null
        tasks:
          - {task_id: work, operator: empty}
        """);
    Files.writeString(
        dags.resolve("calls.yaml"),
        """
        dag_id: calls
        schedule: "@daily"
        start_date: 2024-01-01
        tasks:
          - task_id: fetch
            operator: http
            url: "http://127.0.0.1:%d/orders/{{ ds }}"
            response_xcom: json
          - task_id: use
            operator: shell
            command: "echo count={{ ti.xcom_pull('fetch').count }}"
            upstream: [fetch]
          - task_id: kick
            operator: trigger_dag
            trigger_dag_id: target
            conf: {count: "{{ ti.xcom_pull('fetch').count }}"}
            upstream: [fetch]
        """
            .formatted(port));
    CliRun r = CliRun.in(home, dags, "dags", "test", "calls", "2024-01-02", "-o", "json");
    assertThat(r.exitCode()).as(r.err() + r.out()).isZero();
    JsonNode result = JSON.readTree(r.out());
    assertThat(states(result))
        .containsEntry("fetch", "success")
        .containsEntry("use", "success")
        .containsEntry("kick", "success");
    Path runLogs = home.resolve("logs/dag_id=calls/run_id=manual__2024-01-02T00:00:00+00:00");
    assertThat(Files.readString(runLogs.resolve("task_id=use/attempt=1.log"))).contains("count=42");
    assertThat(Files.readString(runLogs.resolve("task_id=fetch/attempt=1.log")))
        .contains("[updraft] request: GET http://127.0.0.1:" + port + "/orders/2024-01-02")
        .contains("[updraft] response: 200");
    assertThat(Files.readString(runLogs.resolve("task_id=kick/attempt=1.log")))
        .containsPattern("triggered DAG target: run manual__\\S+");
  }

  @Test
  void aFailingRequestFailsTheRunWithOneLineAndRetriesApply() throws Exception {
    Files.writeString(
        dags.resolve("bad.yaml"),
        """
        dag_id: bad
        schedule: null
        tasks:
          - task_id: fetch
            operator: http
            url: "http://127.0.0.1:%d/orders/nope"
            retries: 1
            retry_delay: 0s
        """
            .formatted(port));
    CliRun r = CliRun.in(home, dags, "dags", "test", "bad", "2024-01-02", "-o", "json");
    assertThat(r.exitCode()).as(r.err() + r.out()).isEqualTo(1);
    JsonNode fetch = JSON.readTree(r.out()).get("tasks").get(0);
    assertThat(fetch.get("state").asText()).isEqualTo("failed");
    assertThat(fetch.get("try_number").asInt()).isEqualTo(2);
    Path log =
        home.resolve(
            "logs/dag_id=bad/run_id=manual__2024-01-02T00:00:00+00:00/task_id=fetch/attempt=2.log");
    assertThat(Files.readString(log))
        .contains(
            "[updraft] error: task 'fetch': HTTP 404 from GET http://127.0.0.1:"
                + port
                + "/orders/nope (expected 2xx): no such day");
  }
}
