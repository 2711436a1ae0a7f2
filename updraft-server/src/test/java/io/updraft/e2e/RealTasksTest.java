package io.updraft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.updraft.state.DagRunState;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.CallbackRequestRepository;
import io.updraft.store.CallbackRequestRepository.CallbackRow;
import io.updraft.store.DagRunRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import io.updraft.store.XComRepository;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 end to end under a real {@code standalone} JVM: connections and a variable added with
 * the CLI (a child process), then an {@code http} task reading JSON from a server in this test with
 * the connection's basic auth, a {@code sql} task on a second database fed by that XCom and the
 * variable, a {@code shell} task echoing the rows and the connection's password (masked in its
 * log), a {@code trigger_dag} task whose run succeeds, and a task that fails: its {@code
 * on_failure} webhook and the DAG's reach the test server with rendered bodies. The run ends
 * failed; SIGTERM stops standalone with exit 0.
 */
abstract class RealTasksTest extends HomeTestBase {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "pw-e2e-4711";
  private static final String RUN_ID = "e2e";

  private static final String PIPELINE =
      """
      dag_id: pipeline
      schedule: null
      on_failure:
        http: {url: "%1$s/hook", body: {text: "dag {{ dag.dag_id }} run {{ run_id }} failed"}}
      tasks:
        - task_id: fetch
          operator: http
          conn: api
          endpoint: /orders
          response_xcom: json
        - task_id: load
          operator: sql
          conn: warehouse
          sql:
            - create table if not exists e2e_orders (id int, amount int)
            - insert into e2e_orders values (1, cast(:count as int)), (2, 3)
            - >-
              select count(*) as "n", sum(amount) as "total" from e2e_orders
              where amount >= cast(:min as int)
          parameters:
            count: "{{ ti.xcom_pull('fetch').count }}"
            min: "{{ var.value.min_amount }}"
          upstream: [fetch]
        - task_id: show
          operator: shell
          command: "echo 'rows={{ ti.xcom_pull('load') }}' 'pw={{ conn.api.password }}'"
          upstream: [load]
        - task_id: kick
          operator: trigger_dag
          trigger_dag_id: tiny
          conf: {count: "{{ ti.xcom_pull('fetch').count }}"}
          trigger_run_id: "after_{{ run_id }}"
          upstream: [fetch]
        - task_id: boom
          operator: shell
          command: exit 3
          retries: 0
          on_failure:
            http: {url: "%1$s/hook", body: {text: "task {{ ti.task_id }} of {{ run_id }} failed"}}
          upstream: [show, kick]
      """;

  private static final String TINY =
      """
      dag_id: tiny
      schedule: null
      tasks:
        - task_id: hello
          operator: shell
          command: "echo count={{ dag_run.conf.count }}"
      """;

  @TempDir Path warehouseDir;
  private HttpServer server;
  private String base;
  private final Queue<String> hooks = new ConcurrentLinkedQueue<>();
  private final Queue<String> fetchAuth = new ConcurrentLinkedQueue<>();

  RealTasksTest() {
    super(Map.of(), Duration.ofSeconds(60));
  }

  /** The {@code connections add warehouse} options of the database the sql task writes to. */
  abstract List<String> warehouseConnection(Path warehouseDir);

  @BeforeEach
  void setUp() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/orders",
        ex -> {
          fetchAuth.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
          byte[] body = "{\"count\": 42, \"day\": \"2024-01-02\"}".getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "application/json");
          ex.sendResponseHeaders(200, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    server.createContext(
        "/hook",
        ex -> {
          hooks.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          ex.sendResponseHeaders(204, -1);
          ex.close();
        });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
    Files.writeString(site.dags().resolve("pipeline.yaml"), PIPELINE.formatted(base));
    Files.writeString(site.dags().resolve("tiny.yaml"), TINY);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (server != null) { // null when the base class's set-up failed
      server.stop(0);
    }
  }

  private ChildJvm updraft(String name, List<String> command) {
    return site.updraft(name, command);
  }

  /** {@code updraft COMMAND...} to its end; it must exit 0. */
  private String cli(String name, String... command) {
    ChildJvm p = updraft(name, List.of(command));
    int exit = p.awaitExit(Duration.ofSeconds(90));
    assertThat(exit).as(p::describe).isZero();
    return p.output();
  }

  @Test
  void httpSqlShellTriggerAndCallbacksRunUnderStandalone() throws Exception {
    cli("migrate", "db", "migrate");
    cli(
        "add-api",
        "connections",
        "add",
        "api",
        "--conn-uri",
        "http://bot:" + PASSWORD + "@127.0.0.1:" + server.getAddress().getPort());
    List<String> warehouse = new ArrayList<>(List.of("connections", "add", "warehouse"));
    warehouse.addAll(warehouseConnection(warehouseDir));
    cli("add-warehouse", warehouse.toArray(String[]::new));
    cli("set-var", "variables", "set", "min_amount", "5");

    ChildJvm standalone = updraft("standalone", List.of("standalone", "--port", "0"));
    standalone.awaitOutput("is running", Duration.ofSeconds(60));
    cli("unpause-pipeline", "dags", "unpause", "pipeline");
    cli("unpause-tiny", "dags", "unpause", "tiny");
    cli("trigger", "dags", "trigger", "pipeline", "--run-id", RUN_ID);

    await(
        "the run to end",
        standalone,
        () -> run("pipeline", RUN_ID).state().isFinished() && hooks.size() >= 2);

    assertThat(run("pipeline", RUN_ID).state()).isEqualTo(DagRunState.FAILED);
    Map<String, TaskInstanceState> states =
        db(d -> new TaskInstanceRepository(d).listForRun("pipeline", RUN_ID)).stream()
            .collect(Collectors.toMap(TaskInstanceRow::taskId, TaskInstanceRow::state));
    assertThat(states)
        .as(standalone::describe)
        .containsEntry("fetch", TaskInstanceState.SUCCESS)
        .containsEntry("load", TaskInstanceState.SUCCESS)
        .containsEntry("show", TaskInstanceState.SUCCESS)
        .containsEntry("kick", TaskInstanceState.SUCCESS)
        .containsEntry("boom", TaskInstanceState.FAILED);

    assertThat(JSON.readTree(xcom("fetch")))
        .isEqualTo(JSON.readTree("{\"count\":42,\"day\":\"2024-01-02\"}"));
    JsonNode rows = JSON.readTree(xcom("load"));
    assertThat(rows).isEqualTo(JSON.readTree("[{\"n\":1,\"total\":42}]"));
    assertThat(fetchAuth)
        .as("basic auth from the connection")
        .contains(
            "Basic "
                + Base64.getEncoder()
                    .encodeToString(("bot:" + PASSWORD).getBytes(StandardCharsets.UTF_8)));

    Path runLogs = home.resolve("logs/dag_id=pipeline/run_id=" + RUN_ID);
    String show = Files.readString(runLogs.resolve("task_id=show/attempt=1.log"));
    assertThat(show).contains("rows=[{\"n\": 1, \"total\": 42}] pw=***").doesNotContain(PASSWORD);
    assertThat(Files.readString(runLogs.resolve("task_id=load/attempt=1.log")))
        .contains("statement 2 of 3: insert into e2e_orders values")
        .contains("(1 parameter)\n")
        .contains("committed 3 statements");
    assertThat(Files.readString(runLogs.resolve("task_id=boom/attempt=1.log")))
        .doesNotContain(PASSWORD);

    String triggered = JSON.readTree(xcom("kick")).asText();
    assertThat(triggered).isEqualTo("after_" + RUN_ID);
    await(
        "the triggered run to end", standalone, () -> run("tiny", triggered).state().isFinished());
    assertThat(run("tiny", triggered).state()).isEqualTo(DagRunState.SUCCESS);
    assertThat(
            Files.readString(
                home.resolve(
                    "logs/dag_id=tiny/run_id=" + triggered + "/task_id=hello/attempt=1.log")))
        .contains("count=42");

    assertThat(hooks.stream().map(RealTasksTest::text))
        .contains("task boom of " + RUN_ID + " failed", "dag pipeline run " + RUN_ID + " failed");
    await(
        "the callbacks to be recorded as delivered",
        standalone,
        () ->
            db(d -> new CallbackRequestRepository(d).forRun("pipeline", RUN_ID)).stream()
                .allMatch(r -> r.state().equals("success")));
    List<CallbackRow> callbacks =
        db(d -> new CallbackRequestRepository(d).forRun("pipeline", RUN_ID));
    assertThat(callbacks)
        .extracting(CallbackRow::taskId, CallbackRow::event)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("boom", "on_failure"),
            org.assertj.core.groups.Tuple.tuple(null, "on_failure"));

    int exit = standalone.terminate(Duration.ofSeconds(60));
    assertThat(exit).as(standalone::describe).isZero();
    assertThat(standalone.output()).doesNotContain(PASSWORD);
  }

  private DagRunRow run(String dagId, String runId) {
    return db(d -> new DagRunRepository(d).get(dagId, runId).orElseThrow());
  }

  private String xcom(String taskId) {
    return db(
        d ->
            new XComRepository(d)
                .get("pipeline", RUN_ID, taskId, XComRepository.RETURN_VALUE)
                .orElseThrow(() -> new AssertionError("no XCom of " + taskId)));
  }

  private static String text(String hookBody) {
    try {
      return JSON.readTree(hookBody).path("text").asText(hookBody);
    } catch (Exception e) {
      return hookBody;
    }
  }
}
