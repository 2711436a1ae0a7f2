package io.updraft.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.dag.Dag;
import io.updraft.dag.TriggerRule;
import io.updraft.sdk.Dags;
import io.updraft.sdk.Tasks;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The SPEC §1 example DAG written with the Java builder serializes to the checked-in JSON. */
class SdkSerializationTest {

  static Dag specExample() {
    return Dags.dag("orders_daily")
        .description("Load yesterday's orders")
        .schedule("0 2 * * *")
        .timezone("Europe/Amsterdam")
        .startDate("2024-01-01")
        .endDate((String) null)
        .catchup(false)
        .maxActiveRuns(16)
        .maxActiveTasks(16)
        .dagrunTimeout((Duration) null)
        .tags("orders")
        .param("table", "orders")
        .defaultArgs(
            a ->
                a.retries(2)
                    .retryDelay("5m")
                    .retryExponentialBackoff(false)
                    .maxRetryDelay((String) null)
                    .executionTimeout("1h")
                    .pool("default_pool")
                    .owner("data-eng"))
        .task(Tasks.shell("extract", "./extract.sh {{ ds }}"))
        .task(
            Tasks.shell("load", "./load.sh {{ ds }}")
                .upstream("extract")
                .triggerRule(TriggerRule.ALL_SUCCESS))
        .build();
  }

  @Test
  void specExampleMatchesGoldenJson() {
    Golden.assertMatches("spec-example-dag.json", DagSerializer.toJson(specExample()));
  }

  @Test
  void specExampleRoundTrips() {
    Dag dag = specExample();

    assertThat(DagSerializer.fromJson(DagSerializer.toJson(dag))).isEqualTo(dag);
  }
}
