package io.updraft.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.store.AssetEventRepository.AssetEventRow;
import io.updraft.store.AssetEventRepository.Filter;
import io.updraft.store.AssetRepository.AssetRow;
import io.updraft.store.AssetRepository.ProducingTask;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

abstract class AssetRepositoryContractTest extends RepositoryContractTest {
  AssetRepository assets() {
    return new AssetRepository(db);
  }

  AssetEventRepository events() {
    return new AssetEventRepository(db);
  }

  @Test
  void registersEachUriOnceEvenFromTwoThreadsAtOnce() throws Exception {
    Map<String, Long> ids = assets().ensure(List.of("s3://b/orders.csv", "daily_orders"), T0);
    assertThat(ids).containsOnlyKeys("s3://b/orders.csv", "daily_orders");

    Future<Map<String, Long>> elsewhere =
        other.submit(() -> assets().ensure(List.of("s3://b/orders.csv", "file:///x"), T0));
    Map<String, Long> again = assets().ensure(List.of("file:///x", "s3://b/orders.csv"), T0);

    assertThat(elsewhere.get()).isEqualTo(again);
    assertThat(again.get("s3://b/orders.csv")).isEqualTo(ids.get("s3://b/orders.csv"));
    assertThat(assets().count(null)).isEqualTo(3);
    AssetRow row = assets().getByUri("daily_orders").orElseThrow();
    assertThat(row)
        .isEqualTo(new AssetRow(ids.get("daily_orders"), "daily_orders", "asset", T0, T0));
    assertThat(assets().get(row.id())).contains(row);
  }

  @Test
  void aDagsProducingTasksAreWhatItsLatestVersionSays() {
    assets()
        .registerOutlets(
            "etl",
            Map.of("load", List.of("s3://b/a", "s3://b/b"), "report", List.of("s3://b/a")),
            T0);
    long a = assets().getByUri("s3://b/a").orElseThrow().id();
    long b = assets().getByUri("s3://b/b").orElseThrow().id();
    assertThat(assets().producingTasks(List.of(a, b)).get(a))
        .extracting(ProducingTask::taskId)
        .containsExactly("load", "report");

    assets().registerOutlets("etl", Map.of("load", List.of("s3://b/a")), T0.plusSeconds(60));

    Map<Long, List<ProducingTask>> now = assets().producingTasks(List.of(a, b));
    assertThat(now).containsOnlyKeys(a);
    assertThat(now.get(a))
        .containsExactly(new ProducingTask(a, "etl", "load", T0, T0)); // kept, not re-created
    assertThat(assets().count(null)).as("an asset no DAG names stays, as in Airflow").isEqualTo(2);
  }

  @Test
  void listsByUriPatternInAnyCaseWithWildcardsTakenLiterally() {
    assets().ensure(List.of("s3://Bucket/orders_2024", "s3://bucket/ordersX2024", "file:///y"), T0);

    assertThat(assets().page("BUCKET", "uri", false, 10, 0))
        .extracting(AssetRow::uri)
        .containsExactly("s3://Bucket/orders_2024", "s3://bucket/ordersX2024");
    assertThat(assets().page("orders_", "uri", false, 10, 0))
        .extracting(AssetRow::uri)
        .containsExactly("s3://Bucket/orders_2024");
    assertThat(assets().count("orders_")).isEqualTo(1);
    assertThat(assets().page(null, "id", true, 2, 1))
        .extracting(AssetRow::uri)
        .containsExactly("s3://bucket/ordersX2024", "s3://Bucket/orders_2024");
  }

  @Test
  void aTrysEventsNameItAndRegisterAnAssetNotYetKnown() {
    assets().ensure(List.of("s3://b/a"), T0);

    int written =
        db.inTransaction(
            () ->
                events()
                    .recordForTry(
                        List.of("s3://b/a", "s3://b/new"), "etl", "load", "manual__1", -1, T0));

    assertThat(written).isEqualTo(2);
    List<AssetEventRow> all = events().page(Filter.NONE, "id", false, 10, 0);
    assertThat(all)
        .extracting(AssetEventRow::uri)
        .containsExactlyInAnyOrder("s3://b/a", "s3://b/new");
    AssetEventRow e = all.get(0);
    assertThat(e.sourceDagId()).isEqualTo("etl");
    assertThat(e.sourceTaskId()).isEqualTo("load");
    assertThat(e.sourceRunId()).isEqualTo("manual__1");
    assertThat(e.sourceMapIndex()).isEqualTo(-1);
    assertThat(e.timestamp()).isEqualTo(T0);
    assertThat(e.extraJson()).isEqualTo("{}");
    assertThat(events().recordForTry(List.of(), "etl", "load", "manual__1", -1, T0)).isZero();
  }

  @Test
  void filtersAndPagesEvents() {
    long a = assets().ensure(List.of("s3://b/a"), T0).get("s3://b/a");
    events().recordForTry(List.of("s3://b/a"), "etl", "load", "r1", -1, T0);
    events().recordForTry(List.of("s3://b/a"), "etl", "load", "r2", 3, T0.plusSeconds(10));
    long byHand = events().create(a, "{\"rows\": 42}", T0.plusSeconds(20));

    assertThat(events().count(Filter.NONE)).isEqualTo(3);
    assertThat(events().page(Filter.NONE, "timestamp", true, 1, 0))
        .extracting(AssetEventRow::id)
        .containsExactly(byHand);
    assertThat(events().get(byHand).orElseThrow().sourceDagId()).isNull();
    assertThat(events().get(byHand).orElseThrow().extraJson()).isEqualTo("{\"rows\": 42}");
    assertThat(
            events()
                .page(
                    new Filter(
                        a,
                        "s3://b/a",
                        "etl",
                        "load",
                        "r2",
                        3,
                        T0.plusSeconds(10),
                        T0.plusSeconds(10)),
                    "id",
                    false,
                    10,
                    0))
        .extracting(AssetEventRow::sourceRunId)
        .containsExactly("r2");
    assertThat(
            events().count(new Filter(null, null, null, null, null, null, T0.plusSeconds(5), null)))
        .isEqualTo(2);
    assertThat(events().count(new Filter(null, "s3://other", null, null, null, null, null, null)))
        .isZero();
  }
}
