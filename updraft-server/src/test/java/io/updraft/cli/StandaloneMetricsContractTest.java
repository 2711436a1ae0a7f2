package io.updraft.cli;

import static io.updraft.cli.PrometheusText.value;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.api.ApiServer;
import io.updraft.state.DagRunState;
import io.updraft.store.DagRunRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.Database;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code standalone} runs a DAG with real processes; its API server's {@code /metrics} then shows
 * what the scheduler, the executor and the DAG processor of its JVM recorded, with the cluster's
 * gauges read from the database, and its health shows every component healthy — the DAG processor
 * too, whose in-JVM job this adds. Each backend's class uses its own dag_id: the process's meters
 * are shared by every test of the JVM.
 */
abstract class StandaloneMetricsContractTest {
  private static final Pattern API_URL =
      Pattern.compile("API: +http://127\\.0\\.0\\.1:(\\d+)/api/v2");

  @TempDir Path home;

  /** The database URL, or null for the embedded default. */
  abstract String dbUrl();

  abstract String dagId();

  @Test
  void aFinishedRunShowsInMetricsAndEveryComponentIsHealthy() throws Exception {
    String dagId = dagId();
    Path dags = Files.createDirectories(home.resolve("dags"));
    Files.writeString(
        dags.resolve(dagId + ".yaml"),
        """
        dag_id: %s
        schedule: "@daily"
        start_date: 2024-01-01
        tasks:
          - {task_id: a, operator: shell, command: "true"}
          - {task_id: b, operator: shell, command: "exit 3", upstream: [a]}
          - {task_id: c, operator: shell, command: "true", upstream: [b]}
        """
            .formatted(dagId));
    Settings settings =
        Settings.resolve(
            home, dbUrl(), null, Map.of("UPDRAFT_CORE_DAGS_ARE_PAUSED_AT_CREATION", "false"));
    StringWriter banner = new StringWriter();
    try (SchedulerService standalone =
        new SchedulerService(
            settings,
            Clock.systemUTC(),
            new SchedulerService.Mode(
                "standalone",
                true,
                true,
                true,
                new ApiServer.Settings("127.0.0.1", 0, Duration.ofSeconds(30))))) {
      standalone.start(new PrintWriter(banner, true));
      int port = port(banner.toString());
      try (Database db = settings.openDatabase()) {
        DagRunRepository runs = new DagRunRepository(db);
        await(
            "the scheduled run to finish",
            () -> {
              List<DagRunRow> list = runs.list(dagId, 10);
              return !list.isEmpty() && list.get(0).state().isFinished();
            });
        assertThat(runs.list(dagId, 10).get(0).state()).isEqualTo(DagRunState.FAILED);
      }

      // The meters are recorded once the run's transaction committed: wait for them.
      Map<String, String> finishedA = Map.of("dag_id", dagId, "task_id", "a", "state", "success");
      await(
          "the run's metrics",
          () ->
              value(
                      scrape(port, null).body(),
                      "updraft_dagrun_duration_seconds_count",
                      Map.of("dag_id", dagId, "state", "failed"))
                  .isPresent());
      HttpResponse<String> r = scrape(port, null);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type").orElse(""))
          .startsWith("text/plain; version=0.0.4");
      String page = r.body();
      assertThat(value(page, "updraft_ti_finish_total", finishedA)).hasValue(1.0);
      assertThat(
              value(
                  page,
                  "updraft_ti_finish_total",
                  Map.of("dag_id", dagId, "task_id", "b", "state", "failed")))
          .hasValue(1.0);
      assertThat(
              value(
                  page,
                  "updraft_ti_finish_total",
                  Map.of("dag_id", dagId, "task_id", "c", "state", "upstream_failed")))
          .hasValue(1.0);
      assertThat(
              value(
                  page,
                  "updraft_dagrun_duration_seconds_count",
                  Map.of("dag_id", dagId, "state", "failed")))
          .hasValue(1.0);
      assertThat(
              value(
                      page,
                      "updraft_dagrun_duration_seconds_sum",
                      Map.of("dag_id", dagId, "state", "failed"))
                  .orElseThrow())
          .isGreaterThan(0)
          .isLessThan(120);
      // A scheduled run starts after its interval ends (the newest complete day): up to a day.
      assertThat(
              value(page, "updraft_dagrun_schedule_delay_seconds_count", Map.of("dag_id", dagId)))
          .hasValue(1.0);
      assertThat(
              value(page, "updraft_dagrun_schedule_delay_seconds_max", Map.of("dag_id", dagId))
                  .orElseThrow())
          .isBetween(0.0, 86_400.0 + 120);
      assertPositive(page, "updraft_scheduler_heartbeat_total");
      assertPositive(page, "updraft_scheduler_loop_duration_seconds_count");
      assertPositive(page, "updraft_ti_successes_total");
      assertPositive(page, "updraft_ti_failures_total");
      assertThat(
              value(
                      page,
                      "updraft_dag_processing_last_duration_seconds",
                      Map.of("file", dagId + ".yaml"))
                  .orElseThrow())
          .isGreaterThan(0)
          .isLessThan(60);
      // The cluster's gauges, read from the database: nothing runs any more.
      assertThat(value(page, "updraft_pool_open_slots", Map.of("pool", "default_pool")))
          .hasValue(128.0);
      assertThat(value(page, "updraft_executor_running_tasks")).hasValue(0.0);
      assertThat(value(page, "updraft_executor_queued_tasks")).hasValue(0.0);
      assertThat(value(page, "updraft_triggerer_triggers_running")).hasValue(0.0);
      assertThat(value(page, "updraft_metadatabase_up")).hasValue(1.0);
      // This JVM's executor and triggerer: all their room is free.
      assertPositive(page, "updraft_executor_open_slots");
      assertPositive(page, "updraft_triggerer_capacity_left");
      assertThat(page).doesNotContain("run_id");

      HttpResponse<String> om = scrape(port, "application/openmetrics-text; version=1.0.0");
      assertThat(om.headers().firstValue("Content-Type").orElse(""))
          .startsWith("application/openmetrics-text");
      assertThat(om.body()).endsWith("# EOF\n").contains("updraft_ti_finish_total{");

      JsonNode health = health(port);
      assertThat(health.path("metadatabase").path("status").asText()).isEqualTo("healthy");
      assertThat(health.path("scheduler").path("status").asText()).isEqualTo("healthy");
      assertThat(health.path("triggerer").path("status").asText()).isEqualTo("healthy");
      assertThat(health.path("dag_processor").path("status").asText()).isEqualTo("healthy");
      assertThat(health.path("dag_processor").path("latest_dag_processor_heartbeat").asText())
          .isNotBlank();
    }
    // Stopped: the in-JVM DAG processor's job was ended, as the scheduler's.
    try (Database db = settings.openDatabase()) {
      assertThat(
              new io.updraft.store.JobRepository(db)
                  .latestHeartbeat(io.updraft.store.JobType.DAG_PROCESSOR))
          .isNull();
    }
  }

  private static void assertPositive(String page, String name) {
    OptionalDouble v = value(page, name);
    assertThat(v).as(name).isPresent();
    assertThat(v.getAsDouble()).as(name).isGreaterThan(0);
  }

  private static int port(String banner) {
    Matcher m = API_URL.matcher(banner);
    assertThat(m.find()).as(banner).isTrue();
    return Integer.parseInt(m.group(1));
  }

  private static HttpResponse<String> scrape(int port, String accept) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
            .timeout(Duration.ofSeconds(30));
    if (accept != null) {
      b.header("Accept", accept);
    }
    try {
      return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode health(int port) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v2/monitor/health"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return new ObjectMapper().readTree(r.body());
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }
}
