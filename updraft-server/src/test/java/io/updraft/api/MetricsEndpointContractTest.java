package io.updraft.api;

import static io.updraft.cli.PrometheusText.value;
import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.state.TaskInstanceState;
import io.updraft.store.JobRepository;
import io.updraft.store.JobType;
import io.updraft.store.Pool;
import io.updraft.store.PoolRepository;
import io.updraft.store.StateChange;
import io.updraft.store.TaskInstanceDeferrals;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import io.updraft.store.TriggerRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /metrics} of a real API server: no sign-in, Prometheus text or OpenMetrics, and the
 * cluster's gauges read from the database (pools, task instances queued and running, triggers held)
 * whichever process does the work.
 */
abstract class MetricsEndpointContractTest extends ApiServerTestBase {

  private HttpResponse<String> scrape(String accept, String token) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
            .timeout(Duration.ofSeconds(30));
    if (accept != null) {
      b.header("Accept", accept);
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void needsNoSignInAndAnswersPrometheusText() {
    for (String token : new String[] {null, "not-a-token", tokens.get(Role.VIEWER)}) {
      HttpResponse<String> r = scrape(null, token);
      assertThat(r.statusCode()).as("token %s", token).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type").orElse(""))
          .isEqualTo("text/plain; version=0.0.4; charset=utf-8");
      assertThat(r.body())
          .contains("# TYPE updraft_pool_open_slots gauge")
          .contains("# TYPE updraft_executor_running_tasks gauge");
      assertThat(value(r.body(), "updraft_metadatabase_up")).hasValue(1.0);
    }
  }

  @Test
  void answersOpenMetricsWhenTheScraperAsksForIt() {
    HttpResponse<String> r =
        scrape(
            "application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
                + "version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1",
            null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/openmetrics-text; version=1.0.0");
    assertThat(r.body()).endsWith("# EOF\n");
    assertThat(value(r.body(), "updraft_pool_open_slots", Map.of("pool", "default_pool")))
        .isPresent();
  }

  /** It serves metrics, not the JSON API: the OpenAPI document does not list it. */
  @Test
  void isNotInTheOpenApiDocument() {
    Response doc = send("GET", "/openapi.json", null, null);
    assertThat(doc.json().get("paths").has("/metrics")).isFalse();
    assertThat(server.routes()).noneMatch(r -> r.path().equals("/metrics"));
  }

  @Test
  void poolsTaskInstancesAndTriggersComeFromTheDatabase() {
    PoolRepository pools = new PoolRepository(db);
    pools.set(new Pool("metrics_small", 3, "three slots", false));
    pools.set(new Pool("metrics_unlimited", Pool.UNLIMITED, null, false));
    TaskInstanceRepository tis = new TaskInstanceRepository(db);
    List<TaskInstanceRow> rows = tis.listForRun("orders", SEEDED_RUN);
    assertThat(rows).extracting(TaskInstanceRow::taskId).contains("extract", "load");
    long extract = id(rows, "extract");
    long load = id(rows, "load");
    // extract queued in default_pool; load deferred, its trigger held by a triggerer
    tis.setStates(
        List.of(
            new StateChange(extract, TaskInstanceState.NONE, TaskInstanceState.SCHEDULED),
            new StateChange(load, TaskInstanceState.NONE, TaskInstanceState.SCHEDULED)),
        NOW);
    tis.setStates(
        List.of(new StateChange(extract, TaskInstanceState.SCHEDULED, TaskInstanceState.QUEUED)),
        NOW);
    assertThat(new TaskInstanceDeferrals(db).deferScheduled(load, "time", "{}", null, NOW))
        .isTrue();
    JobRepository jobs = new JobRepository(db);
    long triggerer = jobs.register(JobType.TRIGGERER, "h", 1, NOW);
    try {
      assertThat(new TriggerRepository(db).claim(triggerer, List.of(), 10, NOW)).hasSize(1);

      String page = scrape(null, null).body();
      assertThat(value(page, "updraft_pool_open_slots", Map.of("pool", "default_pool")))
          .hasValue(127.0);
      assertThat(value(page, "updraft_pool_queued_slots", Map.of("pool", "default_pool")))
          .hasValue(1.0);
      assertThat(value(page, "updraft_pool_deferred_slots", Map.of("pool", "default_pool")))
          .hasValue(1.0);
      assertThat(value(page, "updraft_pool_running_slots", Map.of("pool", "default_pool")))
          .hasValue(0.0);
      assertThat(value(page, "updraft_pool_open_slots", Map.of("pool", "metrics_small")))
          .hasValue(3.0);
      assertThat(value(page, "updraft_pool_open_slots", Map.of("pool", "metrics_unlimited")))
          .hasValue(Double.POSITIVE_INFINITY);
      assertThat(value(page, "updraft_executor_queued_tasks")).hasValue(1.0);
      assertThat(value(page, "updraft_executor_running_tasks")).hasValue(0.0);
      assertThat(value(page, "updraft_triggerer_triggers_running")).hasValue(1.0);

      // A deleted pool is gone at the next scrape: the gauges are read, not remembered.
      pools.delete("metrics_small");
      assertThat(
              value(
                  scrape(null, null).body(),
                  "updraft_pool_open_slots",
                  Map.of("pool", "metrics_small")))
          .isEmpty();
    } finally {
      new TriggerRepository(db).release(triggerer);
      jobs.finish(triggerer, true, NOW);
    }
  }

  private static long id(List<TaskInstanceRow> rows, String taskId) {
    return rows.stream().filter(r -> r.taskId().equals(taskId)).findFirst().orElseThrow().id();
  }
}
