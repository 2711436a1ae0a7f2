package io.updraft.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.updraft.store.AssetEventRepository;
import io.updraft.store.AssetRepository;
import io.updraft.store.LogRepository;
import io.updraft.store.LogRow;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** {@code /api/v2/assets}: Airflow 3's shapes, filters and pages, and an audited event creation. */
abstract class AssetEndpointsContractTest extends ApiServerTestBase {

  private static List<String> texts(JsonNode array, String field) {
    return StreamSupport.stream(array.spliterator(), false)
        .map(n -> n.get(field).asText())
        .toList();
  }

  private long ordersAsset() {
    return new AssetRepository(db).getByUri(ORDERS_ASSET).orElseThrow().id();
  }

  @Test
  void listsAssetsWithTheTasksThatProduceThemBeforeAnyEvent() {
    new AssetRepository(db).ensure(List.of("file:///tmp/Other_One"), NOW);
    Response r = get("/api/v2/assets", Role.VIEWER);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode body = r.json();
    assertThat(body.get("total_entries").asInt()).isEqualTo(2);
    assertThat(texts(body.get("assets"), "uri"))
        .containsExactly(ORDERS_ASSET, "file:///tmp/Other_One");
    JsonNode a = body.get("assets").get(0);
    assertThat(a.fieldNames())
        .toIterable()
        .containsExactly(
            "id",
            "name",
            "uri",
            "group",
            "extra",
            "created_at",
            "updated_at",
            "consuming_dags",
            "producing_tasks",
            "aliases");
    assertThat(a.get("id").asLong()).isEqualTo(ordersAsset());
    assertThat(a.get("name").asText()).isEqualTo(ORDERS_ASSET);
    assertThat(a.get("group").asText()).isEqualTo("asset");
    assertThat(a.get("extra").isObject()).isTrue();
    assertThat(a.get("created_at").asText()).isEqualTo("2024-01-05T00:00:00.000Z");
    assertThat(a.get("consuming_dags")).isEmpty();
    assertThat(a.get("producing_tasks")).hasSize(1);
    assertThat(a.get("producing_tasks").get(0).get("dag_id").asText()).isEqualTo("orders");
    assertThat(a.get("producing_tasks").get(0).get("task_id").asText()).isEqualTo("load");

    JsonNode other = get("/api/v2/assets?uri_pattern=other_", Role.VIEWER).json();
    assertThat(texts(other.get("assets"), "uri")).containsExactly("file:///tmp/Other_One");
    assertThat(other.get("total_entries").asInt()).isEqualTo(1);
    JsonNode paged = get("/api/v2/assets?order_by=-uri&limit=1&offset=1", Role.VIEWER).json();
    assertThat(texts(paged.get("assets"), "uri")).containsExactly("file:///tmp/Other_One");
    assertThat(paged.get("total_entries").asInt()).isEqualTo(2);
    assertThat(get("/api/v2/assets?uri_pattern=nothing", Role.VIEWER).json().get("assets"))
        .isEmpty();

    Response one = get("/api/v2/assets/" + ordersAsset(), Role.VIEWER);
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.json()).isEqualTo(a);
    Response missing = get("/api/v2/assets/424242", Role.VIEWER);
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.detail()).contains("424242");
  }

  @Test
  void createsAnEventAsTheCliDoesAuditedAndListsEventsWithFilters() {
    long asset = ordersAsset();
    Response created =
        send(
            "POST",
            "/api/v2/assets/events",
            tokens.get(Role.USER),
            "{\"uri\": \""
                + ORDERS_ASSET
                + "\", \"extra\": {\"rows\": 7, \"password\": \"hunter2\"}}");
    assertThat(created.status()).as(created.body()).isEqualTo(200);
    JsonNode e = created.json();
    assertThat(e.fieldNames())
        .toIterable()
        .containsExactly(
            "id",
            "asset_id",
            "uri",
            "name",
            "group",
            "extra",
            "source_task_id",
            "source_dag_id",
            "source_run_id",
            "source_map_index",
            "created_dagruns",
            "timestamp");
    assertThat(e.get("asset_id").asLong()).isEqualTo(asset);
    assertThat(e.get("uri").asText()).isEqualTo(ORDERS_ASSET);
    assertThat(e.get("extra").get("rows").asInt()).isEqualTo(7);
    assertThat(e.get("extra").get("password").asText()).isEqualTo("***");
    assertThat(e.get("extra").get("from_rest_api").asBoolean()).isTrue();
    assertThat(e.get("source_dag_id").isNull()).isTrue();
    assertThat(e.get("source_map_index").asInt()).isEqualTo(-1);
    assertThat(e.get("timestamp").asText()).isEqualTo(Json.instant(clock.instant()));
    LogRow audit = new LogRepository(db).recent(1).getFirst();
    assertThat(audit.event()).isEqualTo("create_asset_event");
    assertThat(audit.owner()).isEqualTo("user");
    assertThat(audit.extra()).contains("\"asset_id\": " + asset).doesNotContain("hunter2");

    Response byId =
        send(
            "POST",
            "/api/v2/assets/events",
            tokens.get(Role.ADMIN),
            "{\"asset_id\": " + asset + "}");
    assertThat(byId.status()).as(byId.body()).isEqualTo(200);
    assertThat(byId.json().get("extra").get("from_rest_api").asBoolean()).isTrue();

    AssetEventRepository events = new AssetEventRepository(db);
    events.recordForTry(List.of(ORDERS_ASSET), "orders", "load", "run_a", -1, NOW.plusSeconds(60));
    events.recordForTry(List.of(ORDERS_ASSET), "orders", "load", "run_b", 2, NOW.plusSeconds(120));

    JsonNode fromTries =
        get("/api/v2/assets/events?source_dag_id=orders&order_by=-timestamp", Role.VIEWER).json();
    assertThat(texts(fromTries.get("asset_events"), "source_run_id"))
        .containsExactly("run_b", "run_a");
    assertThat(fromTries.get("total_entries").asInt()).isEqualTo(2);
    JsonNode one = fromTries.get("asset_events").get(0);
    assertThat(one.get("source_task_id").asText()).isEqualTo("load");
    assertThat(one.get("source_map_index").asInt()).isEqualTo(2);
    assertThat(one.get("extra").isObject()).isTrue();
    assertThat(
            texts(
                get(
                        "/api/v2/assets/events?asset_id="
                            + asset
                            + "&source_task_id=load&source_run_id=run_a",
                        Role.VIEWER)
                    .json()
                    .get("asset_events"),
                "source_run_id"))
        .containsExactly("run_a");
    assertThat(
            texts(
                get(
                        "/api/v2/assets/events?source_dag_id=orders"
                            + "&timestamp_gte=2024-01-05T00:01:30Z&timestamp_lte=2024-01-06",
                        Role.VIEWER)
                    .json()
                    .get("asset_events"),
                "source_run_id"))
        .containsExactly("run_b");
    assertThat(
            get("/api/v2/assets/events?source_map_index=2", Role.VIEWER)
                .json()
                .get("total_entries")
                .asInt())
        .isEqualTo(1);
    JsonNode page = get("/api/v2/assets/events?limit=1", Role.VIEWER).json();
    assertThat(page.get("asset_events")).hasSize(1);
    assertThat(page.get("total_entries").asInt()).isGreaterThanOrEqualTo(4);
  }
}
