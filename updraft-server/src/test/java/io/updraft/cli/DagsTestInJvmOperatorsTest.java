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

  /** A connection added with the CLI, a sql task reading it: rows as XCom, the password masked. */
  @Test
  void sqlReadsAConnectionFromTheHomeAndItsRowsFeedTheNextTask() throws Exception {
    Path db = home.resolve("warehouse");
    CliRun migrate = CliRun.in(home, dags, "db", "migrate");
    assertThat(migrate.exitCode()).as(migrate.err()).isZero();
    CliRun add =
        CliRun.in(
            home,
            dags,
            "connections",
            "add",
            "warehouse",
            "--conn-type",
            "h2",
            "--conn-host",
            "jdbc:h2:file:" + db + ";USER=etl;PASSWORD=pw-xyz-123",
            "--conn-login",
            "etl",
            "--conn-password",
            "pw-xyz-123");
    assertThat(add.exitCode()).as(add.err()).isZero();
    Files.writeString(
        dags.resolve("load.yaml"),
        """
        dag_id: load
        schedule: null
        tasks:
          - task_id: load
            operator: sql
            conn: warehouse
            sql:
              - create table if not exists orders (id int, amount decimal(10,2), order_day date)
              - insert into orders values (1, 12.50, :day), (2, 7.25, :day)
              - select count(*) as n, sum(amount) as total from orders where order_day = :day
            parameters: {day: "{{ ds }}"}
          - task_id: show
            operator: shell
            command: "echo rows={{ ti.xcom_pull('load') }} pw={{ conn.warehouse.password }}"
            upstream: [load]
          - task_id: broken
            operator: sql
            conn: warehouse
            sql: select * from no_such_table
            retries: 1
            retry_delay: 0s
        """);
    CliRun r = CliRun.in(home, dags, "dags", "test", "load", "2024-01-02", "-o", "json");
    assertThat(r.exitCode()).as(r.err() + r.out()).isEqualTo(1);
    JsonNode result = JSON.readTree(r.out());
    Path runLogs = home.resolve("logs/dag_id=load/run_id=manual__2024-01-02T00:00:00+00:00");
    assertThat(states(result))
        .as(() -> readQuietly(runLogs.resolve("task_id=load/attempt=1.log")))
        .containsEntry("load", "success")
        .containsEntry("show", "success")
        .containsEntry("broken", "failed");
    String show = Files.readString(runLogs.resolve("task_id=show/attempt=1.log"));
    assertThat(show).contains("rows=[{\"N\": 2, \"TOTAL\": 19.75}] pw=***");
    assertThat(show).doesNotContain("pw-xyz-123");
    String broken = Files.readString(runLogs.resolve("task_id=broken/attempt=2.log"));
    assertThat(broken)
        .contains("[updraft] error: task 'broken' (connection 'warehouse'): SQL error: ")
        .contains("NO_SUCH_TABLE")
        .doesNotContain("pw-xyz-123");
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      return "(no log: " + e + ")";
    }
  }
}
