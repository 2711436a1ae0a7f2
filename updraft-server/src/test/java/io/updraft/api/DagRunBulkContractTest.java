package io.updraft.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.updraft.store.DagRunRepository;
import io.updraft.store.LogRepository;
import io.updraft.store.TaskInstanceRepository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code PATCH /api/v2/dags/{dag_id}/dagRuns}: Airflow 3's bulk body creating many runs in one
 * request (decisions/0175), on a real server and database: what it creates and audits, what a taken
 * run_id or logical date does under {@code fail} and {@code skip}, and the bad bodies it refuses.
 */
abstract class DagRunBulkContractTest extends ApiServerTestBase {
  private static final String PATH = "/api/v2/dags/orders/dagRuns";

  private Response bulk(String body) {
    return send("PATCH", PATH, tokens.get(Role.USER), body);
  }

  /** A create action of these entities ({@code "onExistence"}: null for the default). */
  private static String action(String onExistence, String... entities) {
    return "{\"action\": \"create\", \"entities\": ["
        + String.join(", ", entities)
        + "]"
        + (onExistence == null ? "" : ", \"action_on_existence\": \"" + onExistence + "\"")
        + "}";
  }

  private static String body(String... actions) {
    return "{\"actions\": [" + String.join(", ", actions) + "]}";
  }

  private static String entity(String runId, String logicalDate) {
    return "{\"dag_run_id\": \"" + runId + "\", \"logical_date\": \"" + logicalDate + "\"}";
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.isTextual() ? n.asText() : n.toString()));
    return out;
  }

  @Test
  void createsEveryRunWithItsTaskInstancesAndAnAuditRowEach() {
    Response r =
        bulk(
            body(
                action(
                    null,
                    entity("bulk_a", "2023-01-01T00:00:00Z"),
                    "{\"dag_run_id\": \"bulk_b\", \"logical_date\": \"2023-01-02T00:00:00Z\","
                        + " \"conf\": {\"region\": \"eu\"}}",
                    "{\"logical_date\": \"2023-01-03T06:00:00Z\"}")));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode create = r.json().get("create");
    assertThat(texts(create.get("success")))
        .containsExactly("bulk_a", "bulk_b", "manual__2023-01-03T06:00:00+00:00");
    assertThat(create.get("errors")).isEmpty();
    DagRunRepository runs = new DagRunRepository(db);
    assertThat(runs.get("orders", "bulk_b").orElseThrow().conf()).isEqualTo("{\"region\":\"eu\"}");
    assertThat(runs.get("orders", "bulk_a").orElseThrow().runType().id()).isEqualTo("manual");
    assertThat(new TaskInstanceRepository(db).listForRun("orders", "bulk_a")).hasSize(2);
    assertThat(new LogRepository(db).recent(50))
        .filteredOn(l -> l.event().equals("trigger") && l.runId().startsWith("bulk_"))
        .extracting(l -> l.runId() + " " + l.owner() + " " + l.extra())
        .containsExactlyInAnyOrder("bulk_a user null", "bulk_b user {\"region\":\"eu\"}");
    // Readable as any run: the single-run endpoint answers it.
    assertThat(get(PATH + "/bulk_b", Role.VIEWER).json().get("conf").get("region").asText())
        .isEqualTo("eu");
  }

  @Test
  void underFailOneTakenRunIdOrDateCreatesNothingAndNamesEachTakenEntity() {
    Response r =
        bulk(
            body(
                action(
                    "fail",
                    entity("fail_a", "2023-02-01T00:00:00Z"),
                    entity(SEEDED_RUN, "2023-02-02T00:00:00Z"),
                    entity("fail_c", "2024-01-02T00:00:00Z"), // the seeded run's date
                    entity("fail_a", "2023-02-04T00:00:00Z"),
                    entity("fail_e", "2023-02-01T00:00:00Z"))));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode create = r.json().get("create");
    assertThat(create.get("success")).isEmpty();
    List<String> errors = texts(create.get("errors"));
    assertThat(errors).hasSize(4);
    assertThat(create.get("errors").get(0).get("status_code").asInt()).isEqualTo(409);
    assertThat(create.get("errors").get(0).get("error").asText())
        .startsWith("actions[0].entities[1]: DAG 'orders' already has a run with dag_run_id")
        .contains("'" + SEEDED_RUN + "'");
    assertThat(create.get("errors").get(1).get("error").asText())
        .startsWith("actions[0].entities[2]: DAG 'orders' already has a run");
    assertThat(create.get("errors").get(2).get("error").asText())
        .isEqualTo("actions[0].entities[3]: dag_run_id 'fail_a' is also that of entities[0]");
    assertThat(create.get("errors").get(3).get("error").asText())
        .isEqualTo(
            "actions[0].entities[4]: logical_date 2023-02-01T00:00:00Z is also that of"
                + " entities[0]");
    assertThat(new DagRunRepository(db).get("orders", "fail_a")).isEmpty();
  }

  @Test
  void underSkipTheTakenOnesAreLeftOutAndTheOthersCreated() {
    Response r =
        bulk(
            body(
                action(
                    "skip",
                    entity("skip_a", "2023-03-01T00:00:00Z"),
                    entity(SEEDED_RUN, "2023-03-02T00:00:00Z"),
                    entity("skip_a", "2023-03-03T00:00:00Z"),
                    entity("skip_d", "2023-03-04T00:00:00Z")),
                action(null, entity("skip_e", "2023-03-05T00:00:00Z"))));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(texts(r.json().get("create").get("success")))
        .containsExactly("skip_a", "skip_d", "skip_e");
    assertThat(r.json().get("create").get("errors")).isEmpty();
    assertThat(new DagRunRepository(db).get("orders", "skip_a").orElseThrow().logicalDate())
        .isEqualTo(Instant.parse("2023-03-01T00:00:00Z"));
  }

  @Test
  void badBodiesAreRefusedWholeWithOneLine() {
    assertThat(bulk("{\"actions\": []}").status()).isEqualTo(400);
    Response emptyEntities = bulk(body(action(null)));
    assertThat(emptyEntities.status()).isEqualTo(400);
    assertThat(emptyEntities.detail())
        .isEqualTo("actions[0].entities: empty — give the runs to create");

    String[] many = new String[DagRunRoutes.MAX_BULK_ENTITIES + 1];
    for (int i = 0; i < many.length; i++) {
      many[i] =
          entity("many_" + i, Instant.parse("2022-01-01T00:00:00Z").plusSeconds(i).toString());
    }
    Response tooMany = bulk(body(action(null, many)));
    assertThat(tooMany.status()).isEqualTo(400);
    assertThat(tooMany.detail()).contains("1001 runs, more than 1000");
    assertThat(new DagRunRepository(db).get("orders", "many_0")).isEmpty();

    Response badRunId =
        bulk(
            body(
                action(
                    null,
                    entity("ok_1", "2023-04-01T00:00:00Z"),
                    entity("bad id!", "2023-04-02T00:00:00Z"))));
    assertThat(badRunId.status()).isEqualTo(422);
    assertThat(badRunId.detail()).startsWith("actions[0].entities[1].dag_run_id:");
    assertThat(new DagRunRepository(db).get("orders", "ok_1")).isEmpty();

    Response badDate = bulk(body(action(null, entity("ok_2", "yesterday"))));
    assertThat(badDate.status()).isEqualTo(422);
    assertThat(badDate.detail()).startsWith("actions[0].entities[0].logical_date");

    Response delete =
        bulk("{\"actions\": [{\"action\": \"delete\", \"entities\": [{\"dag_run_id\": \"x\"}]}]}");
    assertThat(delete.status()).isEqualTo(422);
    assertThat(delete.detail()).startsWith("actions[0].action: 'delete' is not one for runs");

    Response overwrite = bulk(body(action("overwrite", entity("ok_3", "2023-04-03T00:00:00Z"))));
    assertThat(overwrite.status()).isEqualTo(422);
    assertThat(overwrite.detail()).contains("a run is not overwritten");

    Response unknownField =
        bulk(body(action(null, "{\"dag_run_id\": \"ok_4\", \"colour\": \"red\"}")));
    assertThat(unknownField.status()).isEqualTo(422);
    assertThat(unknownField.detail()).startsWith("unknown field 'colour'");

    Response noDag =
        send(
            "PATCH",
            "/api/v2/dags/nope/dagRuns",
            tokens.get(Role.USER),
            body(action(null, entity("x", "2023-04-04T00:00:00Z"))));
    assertThat(noDag.status()).isEqualTo(404);

    Response viewer =
        send(
            "PATCH",
            PATH,
            tokens.get(Role.VIEWER),
            body(action(null, entity("v", "2023-04-05T00:00:00Z"))));
    assertThat(viewer.status()).isEqualTo(403);
    assertThat(new DagRunRepository(db).get("orders", "v")).isEmpty();
  }
}
