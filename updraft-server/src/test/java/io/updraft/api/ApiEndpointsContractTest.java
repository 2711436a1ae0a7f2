package io.updraft.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.updraft.store.DagRepository;
import io.updraft.store.DagRunRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.JobRepository;
import io.updraft.store.JobType;
import io.updraft.store.LogRepository;
import io.updraft.store.LogRow;
import io.updraft.store.NextDagRun;
import io.updraft.store.UserRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** What each endpoint answers, in Airflow's shapes, and what its writes leave in the database. */
abstract class ApiEndpointsContractTest extends ApiServerTestBase {

  private static List<String> texts(JsonNode array, String field) {
    return StreamSupport.stream(array.spliterator(), false)
        .map(n -> n.get(field).asText())
        .toList();
  }

  @Test
  void versionAndHealthNeedNoSignIn() {
    Response version = send("GET", "/api/v2/version", null, null);
    assertThat(version.status()).isEqualTo(200);
    assertThat(version.json().get("version").asText()).isNotBlank();

    JobRepository jobs = new JobRepository(db);
    long scheduler = jobs.register(JobType.SCHEDULER, "h", 1, NOW.minusSeconds(5));
    long processor = jobs.register(JobType.DAG_PROCESSOR, "h", 2, NOW.minusSeconds(300));
    try {
      JsonNode health = send("GET", "/api/v2/monitor/health", null, null).json();
      assertThat(health.get("metadatabase").get("status").asText()).isEqualTo("healthy");
      assertThat(health.get("scheduler").get("status").asText()).isEqualTo("healthy");
      assertThat(health.get("scheduler").get("latest_scheduler_heartbeat").asText())
          .isEqualTo("2024-01-04T23:59:55.000Z");
      assertThat(health.get("dag_processor").get("status").asText()).isEqualTo("unhealthy");
      assertThat(health.get("dag_processor").get("latest_dag_processor_heartbeat").asText())
          .isEqualTo("2024-01-04T23:55:00.000Z");
      assertThat(health.get("triggerer").get("status").isNull()).isTrue();
      assertThat(health.get("triggerer").get("latest_triggerer_heartbeat").isNull()).isTrue();
    } finally {
      jobs.finish(scheduler, true, NOW);
      jobs.finish(processor, true, NOW);
    }
  }

  @Test
  void listsDagsWithAirflowsFieldsFiltersAndPages() {
    Instant next = Instant.parse("2024-01-05T00:00:00Z");
    new DagRepository(db)
        .setNextRun(
            "orders",
            new NextDagRun(next, next, next.plusSeconds(86_400), next.plusSeconds(86_400)));
    Response all = get("/api/v2/dags", Role.VIEWER);
    assertThat(all.status()).isEqualTo(200);
    JsonNode body = all.json();
    assertThat(body.get("total_entries").asInt()).isEqualTo(2);
    assertThat(texts(body.get("dags"), "dag_id")).containsExactly("cleanup", "orders");
    JsonNode orders = body.get("dags").get(1);
    assertThat(orders.get("is_paused").asBoolean()).isFalse();
    assertThat(orders.get("fileloc").asText()).isEqualTo("orders.yaml");
    assertThat(orders.get("timetable_summary").asText()).isEqualTo("@daily");
    assertThat(texts(orders.get("tags"), "name")).containsExactlyInAnyOrder("sales", "daily");
    assertThat(orders.get("tags").get(0).get("dag_id").asText()).isEqualTo("orders");
    assertThat(orders.get("next_dagrun_logical_date").asText())
        .isEqualTo("2024-01-05T00:00:00.000Z");
    assertThat(orders.get("next_dagrun_run_after").asText()).isEqualTo("2024-01-06T00:00:00.000Z");
    assertThat(body.get("dags").get(0).get("next_dagrun_logical_date").isNull()).isTrue();
    assertThat(orders.get("owners").isArray()).isTrue();

    JsonNode page = get("/api/v2/dags?limit=1&offset=1&order_by=-dag_id", Role.VIEWER).json();
    assertThat(texts(page.get("dags"), "dag_id")).containsExactly("cleanup");
    assertThat(page.get("total_entries").asInt()).isEqualTo(2);

    assertThat(
            texts(
                get("/api/v2/dags?dag_id_pattern=ord%25", Role.VIEWER).json().get("dags"),
                "dag_id"))
        .containsExactly("orders");
    assertThat(
            texts(
                get("/api/v2/dags?dag_id_pattern=%25lean_p", Role.VIEWER).json().get("dags"),
                "dag_id"))
        .containsExactly("cleanup");
    assertThat(
            texts(
                get("/api/v2/dags?tags=ops&tags=nothing", Role.VIEWER).json().get("dags"),
                "dag_id"))
        .containsExactly("cleanup");
    assertThat(texts(get("/api/v2/dags?paused=false", Role.VIEWER).json().get("dags"), "dag_id"))
        .containsExactly("orders");
    JsonNode none = get("/api/v2/dags?tags=nothing", Role.VIEWER).json();
    assertThat(none.get("dags")).isEmpty();
    assertThat(none.get("total_entries").asInt()).isZero();
  }

  @Test
  void getsOneDagOrSaysItIsNotThere() {
    Response orders = get("/api/v2/dags/orders", Role.VIEWER);
    assertThat(orders.status()).isEqualTo(200);
    assertThat(orders.json().get("dag_id").asText()).isEqualTo("orders");
    Response missing = get("/api/v2/dags/nope", Role.VIEWER);
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.detail()).contains("'nope'");
  }

  @Test
  void pausingGoesThroughTheSameCodeAsTheCliAndIsAudited() {
    Response paused =
        send("PATCH", "/api/v2/dags/orders", tokens.get(Role.USER), "{\"is_paused\": true}");
    try {
      assertThat(paused.status()).isEqualTo(200);
      assertThat(paused.json().get("is_paused").asBoolean()).isTrue();
      assertThat(new DagRepository(db).get("orders").orElseThrow().paused()).isTrue();
      LogRow audit = new LogRepository(db).recentForDag("orders", 1).getFirst();
      assertThat(audit.event()).isEqualTo("pause");
      assertThat(audit.owner()).isEqualTo("user");
    } finally {
      Response unpaused =
          send("PATCH", "/api/v2/dags/orders", tokens.get(Role.USER), "{\"is_paused\": false}");
      assertThat(unpaused.json().get("is_paused").asBoolean()).isFalse();
    }
    assertThat(
            send("PATCH", "/api/v2/dags/nope", tokens.get(Role.USER), "{\"is_paused\": true}")
                .status())
        .isEqualTo(404);
  }

  @Test
  void triggeringCreatesAQueuedManualRunAsDagsTriggerDoes() {
    Response created =
        send(
            "POST",
            "/api/v2/dags/orders/dagRuns",
            tokens.get(Role.USER),
            "{\"logical_date\": \"2024-01-03T00:00:00Z\", \"conf\": {\"table\": \"x\", \"n\": [1, 2]}}");
    assertThat(created.status()).as(created.body()).isEqualTo(200);
    JsonNode run = created.json();
    assertThat(run.get("dag_run_id").asText()).isEqualTo("manual__2024-01-03T00:00:00+00:00");
    assertThat(run.get("dag_id").asText()).isEqualTo("orders");
    assertThat(run.get("state").asText()).isEqualTo("queued");
    assertThat(run.get("run_type").asText()).isEqualTo("manual");
    assertThat(run.get("logical_date").asText()).isEqualTo("2024-01-03T00:00:00.000Z");
    assertThat(run.get("data_interval_start").asText()).isEqualTo("2024-01-03T00:00:00.000Z");
    assertThat(run.get("data_interval_end").asText()).isEqualTo("2024-01-04T00:00:00.000Z");
    assertThat(run.get("conf").toString()).isEqualTo("{\"table\":\"x\",\"n\":[1,2]}");

    DagRunRow stored =
        new DagRunRepository(db).get("orders", "manual__2024-01-03T00:00:00+00:00").orElseThrow();
    assertThat(stored.conf()).isEqualTo("{\"table\":\"x\",\"n\":[1,2]}");
    LogRow audit = new LogRepository(db).recentForDag("orders", 1).getFirst();
    assertThat(audit.event()).isEqualTo("trigger");
    assertThat(audit.owner()).isEqualTo("user");
    assertThat(audit.runId()).isEqualTo("manual__2024-01-03T00:00:00+00:00");

    Response again =
        send(
            "POST",
            "/api/v2/dags/orders/dagRuns",
            tokens.get(Role.USER),
            "{\"logical_date\": \"2024-01-03T00:00:00Z\"}");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.detail()).contains("already has a run");

    Response got =
        get("/api/v2/dags/orders/dagRuns/manual__2024-01-03T00:00:00%2B00:00", Role.VIEWER);
    assertThat(got.status()).as(got.body()).isEqualTo(200);
    assertThat(got.json().get("dag_run_id").asText())
        .isEqualTo("manual__2024-01-03T00:00:00+00:00");
  }

  @Test
  void aRunWithoutALogicalDateIsAtNow() {
    Response created =
        send(
            "POST",
            "/api/v2/dags/cleanup/dagRuns",
            tokens.get(Role.USER),
            "{\"logical_date\": null}");
    assertThat(created.status()).as(created.body()).isEqualTo(200);
    assertThat(created.json().get("logical_date").asText()).isEqualTo("2024-01-05T00:00:00.000Z");
    assertThat(created.json().get("conf").toString()).isEqualTo("{}");
  }

  @Test
  void listsRunsAndTheirTaskInstances() {
    JsonNode runs = get("/api/v2/dags/orders/dagRuns?order_by=-logical_date", Role.VIEWER).json();
    assertThat(runs.get("total_entries").asInt()).isGreaterThanOrEqualTo(1);
    List<String> ids = texts(runs.get("dag_runs"), "dag_run_id");
    assertThat(ids).contains(SEEDED_RUN);
    List<String> dates = new ArrayList<>(texts(runs.get("dag_runs"), "logical_date"));
    assertThat(dates).isSortedAccordingTo(java.util.Comparator.reverseOrder());

    JsonNode limited = get("/api/v2/dags/orders/dagRuns?limit=1", Role.VIEWER).json();
    assertThat(limited.get("dag_runs")).hasSize(1);

    Response seeded = get("/api/v2/dags/orders/dagRuns/" + SEEDED_RUN, Role.VIEWER);
    assertThat(seeded.json().get("state").asText()).isEqualTo("queued");
    assertThat(get("/api/v2/dags/orders/dagRuns/nope", Role.VIEWER).status()).isEqualTo(404);
    assertThat(get("/api/v2/dags/nope/dagRuns", Role.VIEWER).status()).isEqualTo(404);

    JsonNode tis =
        get("/api/v2/dags/orders/dagRuns/" + SEEDED_RUN + "/taskInstances", Role.VIEWER).json();
    assertThat(tis.get("total_entries").asInt()).isEqualTo(2);
    assertThat(texts(tis.get("task_instances"), "task_id")).containsExactly("extract", "load");
    JsonNode extract = tis.get("task_instances").get(0);
    assertThat(extract.get("dag_run_id").asText()).isEqualTo(SEEDED_RUN);
    assertThat(extract.get("state").isNull()).isTrue();
    assertThat(extract.get("try_number").asInt()).isZero();
    assertThat(extract.get("logical_date").asText()).isEqualTo("2024-01-02T00:00:00.000Z");
    JsonNode desc =
        get(
                "/api/v2/dags/orders/dagRuns/" + SEEDED_RUN + "/taskInstances?order_by=-task_id",
                Role.VIEWER)
            .json();
    assertThat(texts(desc.get("task_instances"), "task_id")).containsExactly("load", "extract");
  }

  @Test
  void signInGivesABearerTokenAndLimitsGuessing() {
    new UserAccounts(db).create("guesser", Role.VIEWER, "right-password", "test", NOW);
    Response ok =
        send(
            "POST",
            "/auth/token",
            null,
            "{\"username\": \"guesser\", \"password\": \"right-password\"}");
    assertThat(ok.status()).isEqualTo(201);
    assertThat(ok.json().get("token_type").asText()).isEqualTo("bearer");
    assertThat(ok.json().get("expires_in").asLong()).isEqualTo(Tokens.LIFETIME.toSeconds());

    String wrong = "{\"username\": \"guesser\", \"password\": \"wrong-password\"}";
    for (int i = 0; i < SignIn.MAX_FAILURES; i++) {
      Response r = send("POST", "/auth/token", null, wrong);
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.detail()).isEqualTo("wrong username or password");
    }
    assertThat(new UserRepository(db).get("guesser").orElseThrow().failedLogins())
        .isEqualTo(SignIn.MAX_FAILURES);
    String right = "{\"username\": \"guesser\", \"password\": \"right-password\"}";
    Response locked = send("POST", "/auth/token", null, right);
    assertThat(locked.status()).isEqualTo(429);
    assertThat(locked.detail()).contains("too many failed sign-ins");

    clock.now = NOW.plus(SignIn.LOCKOUT).plusSeconds(1);
    try {
      assertThat(send("POST", "/auth/token", null, right).status()).isEqualTo(201);
      assertThat(new UserRepository(db).get("guesser").orElseThrow().failedLogins()).isZero();
    } finally {
      clock.now = NOW;
    }

    Response unknown =
        send("POST", "/auth/token", null, "{\"username\": \"nobody\", \"password\": \"x\"}");
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(unknown.detail()).isEqualTo("wrong username or password");
  }

  @Test
  void theOpenApiDocumentListsExactlyTheRoutes() {
    Response r = send("GET", "/openapi.json", null, null);
    assertThat(r.status()).isEqualTo(200);
    JsonNode doc = r.json();
    assertThat(doc.get("openapi").asText()).startsWith("3.");
    List<String> documented = new ArrayList<>();
    doc.get("paths")
        .fields()
        .forEachRemaining(
            p ->
                p.getValue()
                    .fieldNames()
                    .forEachRemaining(m -> documented.add(m.toUpperCase() + " " + p.getKey())));
    assertThat(documented)
        .containsExactlyInAnyOrderElementsOf(
            server.routes().stream().map(x -> x.method().name() + " " + x.path()).toList());
    JsonNode dag = doc.get("components").get("schemas").get("DagResponse").get("properties");
    assertThat(dag.has("is_paused")).isTrue();
    assertThat(dag.has("next_dagrun_logical_date")).isTrue();
    JsonNode trigger = doc.get("paths").get("/api/v2/dags/{dag_id}/dagRuns").get("post");
    assertThat(trigger.get("responses").has("409")).isTrue();
    assertThat(trigger.get("security")).isNotNull();
    assertThat(doc.get("paths").get("/api/v2/version").get("get").has("security")).isFalse();
  }
}
