package io.updraft.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.dag.Dag;
import io.updraft.dag.TriggerRule;
import io.updraft.sdk.Dags;
import io.updraft.sdk.Tasks;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SPEC §1 example DAG written with the Java builder serializes to the checked-in JSON. */
public class SdkSerializationTest {

  /** Also used by the YAML/SDK parity test. */
  public static Dag specExample() {
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

  @Test
  void everyNameForUtcGivesTheSameDagAndJson() {
    Dag none = Dags.dag("d").task(Tasks.empty("t")).build();
    String json = DagSerializer.toJson(none);

    assertThat(json).contains("\"timezone\":\"UTC\"");
    for (String utc : List.of("UTC", "Etc/UTC", "Z", "GMT")) {
      Dag dag = Dags.dag("d").timezone(utc).task(Tasks.empty("t")).build();
      assertThat(dag).as(utc).isEqualTo(none);
      assertThat(DagSerializer.toJson(dag)).as(utc).isEqualTo(json);
    }
    Dag offset = Dags.dag("d").timezone(ZoneOffset.UTC).task(Tasks.empty("t")).build();
    assertThat(DagSerializer.toJson(offset)).isEqualTo(json);
    // JSON written before normalization ("Z") reads back as the normalized DAG.
    assertThat(DagSerializer.fromJson(json.replace("\"UTC\"", "\"Z\""))).isEqualTo(none);
  }
}
