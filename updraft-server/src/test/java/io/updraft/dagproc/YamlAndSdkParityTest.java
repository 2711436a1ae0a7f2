package io.updraft.dagproc;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.dag.Dag;
import io.updraft.dag.TriggerRule;
import io.updraft.sdk.DagBuilder;
import io.updraft.sdk.Dags;
import io.updraft.sdk.TaskBuilder;
import io.updraft.sdk.Tasks;
import io.updraft.serde.DagSerializer;
import io.updraft.serde.SdkSerializationTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A DAG written with the Java builder and the same DAG written in YAML are one DAG: equal values
 * and the same canonical JSON, byte for byte. Each case uses text forms on one side and typed Java
 * values (LocalDate, Instant, Duration, enums) on the other where the builder offers them.
 */
class YamlAndSdkParityTest {

  static Stream<Arguments> sameDagBothWays() throws IOException {
    return Stream.of(
        Arguments.of(
            "SPEC §1 example", specYaml(), (Supplier<Dag>) SdkSerializationTest::specExample),
        Arguments.of(
            "cron trigger timetable in America/New_York",
            """
            dag_id: ny_open
            description: Pings at the market open
            schedule: "30 9 * * 1-5"
            timetable: trigger
            timezone: America/New_York
            start_date: 2024-03-10 02:30      # in the DST gap: moves to 03:30 EDT
            end_date: 2024-11-03T01:30        # in the DST overlap: the earlier offset (EDT)
            catchup: true
            max_active_runs: 2
            tasks:
              - task_id: ping
                operator: shell
                command: curl -fsS https://example.com/open?day={{ ds }}
                skip_on_exit_code: 22
                execution_timeout: PT2M
            """,
            (Supplier<Dag>)
                () ->
                    Dags.dag("ny_open")
                        .description("Pings at the market open")
                        .startDate(LocalDateTime.of(2024, 3, 10, 2, 30))
                        .timezone(ZoneId.of("America/New_York"))
                        .schedule("30 9 * * 1-5")
                        .triggerTimetable()
                        .endDate("2024-11-03T01:30")
                        .catchup(true)
                        .maxActiveRuns(2)
                        .task(
                            Tasks.shell("ping", "curl -fsS https://example.com/open?day={{ ds }}")
                                .arg("skip_on_exit_code", 22)
                                .executionTimeout(Duration.ofMinutes(2)))
                        .build()),
        Arguments.of(
            "delta schedule",
            """
            dag_id: every_90m
            schedule: 90m
            timezone: Europe/Amsterdam
            start_date: 2024-01-01T06:00
            dagrun_timeout: 1h30m
            max_active_tasks: 4
            tags: [poll, ops]
            tasks:
              - task_id: poll
                operator: shell
                command: test -e /data/ready.csv
                cwd: /data
                retries: 3
                retry_delay: PT30S
                retry_exponential_backoff: true
                max_retry_delay: 10m
            """,
            (Supplier<Dag>)
                () ->
                    Dags.dag("every_90m")
                        .schedule("90m")
                        .timezone("Europe/Amsterdam")
                        .startDate("2024-01-01 06:00")
                        .dagrunTimeout(Duration.ofMinutes(90))
                        .maxActiveTasks(4)
                        .tags("poll", "ops")
                        .task(
                            Tasks.shell("poll", "test -e /data/ready.csv")
                                .arg("cwd", "/data")
                                .retries(3)
                                .retryDelay("30s")
                                .retryExponentialBackoff(true)
                                .maxRetryDelay(Duration.ofMinutes(10)))
                        .build()),
        Arguments.of(
            "manual DAG without start_date, env maps",
            """
            dag_id: manual_load
            schedule: null
            timezone: Etc/UTC
            default_args:
              env: {STAGE: prod, BATCH: 500}
              owner: data-eng
            tasks:
              - task_id: extract
                operator: shell
                command: ./extract.sh
                cwd: /opt/etl
              - task_id: load
                operator: shell
                command: ./load.sh
                upstream: load_prep
                env: {STAGE: test}
              - task_id: load_prep
                operator: empty
                env: {}
            """,
            (Supplier<Dag>)
                () ->
                    Dags.dag("manual_load")
                        .defaultArgs(
                            a -> a.env("STAGE", "prod").env("BATCH", "500").owner("data-eng"))
                        .task(Tasks.shell("extract", "./extract.sh").arg("cwd", "/opt/etl"))
                        .task(
                            Tasks.shell("load", "./load.sh")
                                .upstream("load_prep")
                                .env(Map.of("STAGE", "test")))
                        .task(Tasks.empty("load_prep").env(Map.of()))
                        .build()),
        Arguments.of(
            "@once with an offset date",
            """
            dag_id: backfill_once
            schedule: "@once"
            timezone: Asia/Kolkata
            start_date: 2024-06-01T08:00:00+02:00
            tasks:
              - task_id: go
                operator: branch
                command: echo orders_daily
            """,
            (Supplier<Dag>)
                () ->
                    Dags.dag("backfill_once")
                        .schedule("@once")
                        .timezone("Asia/Kolkata")
                        .startDate(Instant.parse("2024-06-01T06:00:00Z"))
                        .task(Tasks.branch("go", "echo orders_daily"))
                        .build()),
        Arguments.of(
            "@continuous",
            """
            dag_id: stream
            schedule: "@continuous"
            start_date: 2024-01-01
            tasks:
              - task_id: step
                operator: short_circuit
                command: ./more.sh
              - task_id: pick
                operator: branch
                command: ./pick.sh
                upstream: [step]
            """,
            (Supplier<Dag>)
                () ->
                    Dags.dag("stream")
                        .schedule("@continuous")
                        .timezone("Z")
                        .startDate(LocalDate.of(2024, 1, 1))
                        .task(Tasks.shortCircuit("step", "./more.sh"))
                        .task(Tasks.branch("pick", "./pick.sh").upstream("step"))
                        .build()),
        Arguments.of(
            "default_args start_date, offset dates, nested params, every trigger rule",
            everyTriggerRuleYaml(),
            (Supplier<Dag>) YamlAndSdkParityTest::everyTriggerRule));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void sameDagBothWays(String name, String yaml, Supplier<Dag> java) {
    DagFileResult r = new YamlDagParser().parse(Path.of("parity.yaml"), yaml);
    assertThat(r.errors()).as("errors of the YAML").isEmpty();
    Dag fromYaml = r.dags().get(0);
    Dag fromJava = java.get();

    assertThat(DagSerializer.toJson(fromYaml)).isEqualTo(DagSerializer.toJson(fromJava));
    assertThat(fromYaml).isEqualTo(fromJava);
  }

  private static String specYaml() throws IOException {
    try (InputStream in =
        YamlAndSdkParityTest.class.getResourceAsStream("/dags/orders_daily.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String everyTriggerRuleYaml() {
    StringBuilder yaml =
        new StringBuilder(
            """
            dag_id: rules
            schedule: "@hourly"
            timezone: Europe/Amsterdam
            end_date: 2025-01-01 00:00:00+01:00
            params:
              table: orders
              limits: {max: 500, ratio: 0.25, ids: [1, 2, 3], big: 12345678901}
              flags: [true, false, null]
              note: null
            default_args:
              start_date: 2024-01-01
              end_date: 2024-12-31T23:00:00Z
              pool: etl
              pool_slots: 2
              priority_weight: 5
              weight_rule: upstream
              queue: fast
              depends_on_past: true
              doc: shared doc
            tasks:
              - task_id: start
                operator: empty
                start_date: 2024-02-01T00:00:00-05:00
                wait_for_downstream: true
                max_active_tis_per_dag: 1
            """);
    for (TriggerRule rule : TriggerRule.values()) {
      yaml.append("  - task_id: ")
          .append(rule.id())
          .append("\n    operator: empty\n    upstream: [start]\n    trigger_rule: ")
          .append(rule.id())
          .append('\n');
    }
    return yaml.toString();
  }

  private static Dag everyTriggerRule() {
    Map<String, Object> limits = new LinkedHashMap<>();
    limits.put("max", 500);
    limits.put("ratio", 0.25);
    limits.put("ids", List.of(1, 2, 3));
    limits.put("big", 12345678901L);
    List<Object> flags = new ArrayList<>(List.of(true, false));
    flags.add(null);
    DagBuilder dag =
        Dags.dag("rules")
            .schedule("@hourly")
            .timezone("Europe/Amsterdam")
            .endDate(Instant.parse("2024-12-31T23:00:00Z"))
            .param("table", "orders")
            .param("limits", limits)
            .param("flags", flags)
            .param("note", null)
            .defaultArgs(
                a ->
                    a.startDate(LocalDate.of(2024, 1, 1))
                        .endDate("2024-12-31T23:00:00Z")
                        .pool("etl")
                        .poolSlots(2)
                        .priorityWeight(5)
                        .weightRule("upstream")
                        .queue("fast")
                        .dependsOnPast(true)
                        .doc("shared doc"))
            .task(
                Tasks.empty("start")
                    .startDate("2024-02-01T05:00:00Z")
                    .waitForDownstream(true)
                    .maxActiveTisPerDag(1));
    for (TriggerRule rule : TriggerRule.values()) {
      TaskBuilder t = Tasks.empty(rule.id()).upstream("start");
      dag.task(rule.ordinal() % 2 == 0 ? t.triggerRule(rule) : t.triggerRule(rule.id()));
    }
    return dag.build();
  }
}
