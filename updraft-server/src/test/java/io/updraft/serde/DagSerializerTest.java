package io.updraft.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.updraft.dag.Dag;
import io.updraft.dag.Schedule;
import io.updraft.dag.Task;
import io.updraft.dag.TriggerRule;
import io.updraft.dag.WeightRule;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DagSerializerTest {

  private static Map<String, Object> ordered(Object... pairs) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put((String) pairs[i], pairs[i + 1]);
    }
    return m;
  }

  private static Map<String, Object> reversed(Map<String, Object> m) {
    List<String> keys = new ArrayList<>(m.keySet());
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = keys.size() - 1; i >= 0; i--) {
      Object v = m.get(keys.get(i));
      out.put(keys.get(i), v instanceof Map<?, ?> nested ? reversed(cast(nested)) : v);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }

  /**
   * A DAG that uses every field: nested args, env, nulls, numbers of several types, text that needs
   * escaping. {@code flip} writes the same DAG with every map, task list and upstream list in
   * another order, and numbers as other Java types of the same value.
   */
  static Dag representative(boolean flip) {
    Map<String, Object> httpArgs =
        ordered(
            "method",
            "POST",
            "url",
            "https://api.example.com/orders?day={{ ds }}",
            "headers",
            ordered("Content-Type", "application/json", "X-Trace", "a\"b\\c"),
            "body",
            ordered("ids", List.of(1, 2, 3), "limit", flip ? (Object) 500L : 500, "ratio", 0.25),
            "expect_status",
            List.of(200, 201));
    Map<String, String> env = new LinkedHashMap<>();
    env.put("STAGE", "prod");
    env.put("EMPTY", null);
    Map<String, Object> params =
        ordered(
            "table",
            "orders",
            "big",
            flip ? new BigInteger("12345678901") : (Object) 12345678901L,
            "nothing",
            null,
            "note",
            "tab\there, newline\nthere, ünïcödé 😀",
            "nested",
            ordered("b", ordered("y", 1, "x", 2), "a", List.of(ordered("k", true))));
    Task extract =
        new Task(
            "extract",
            "shell",
            ordered("command", "./extract.sh {{ ds }}", "cwd", "/opt/etl"),
            List.of(),
            null,
            3,
            Duration.ofSeconds(90),
            true,
            Duration.ofHours(1),
            Duration.ofMinutes(30),
            "etl",
            2,
            10,
            WeightRule.ABSOLUTE,
            "fast",
            4,
            true,
            false,
            Instant.parse("2024-01-02T00:00:00Z"),
            Instant.parse("2025-01-01T00:00:00.123Z"),
            env,
            "data-eng",
            "Extracts the orders.");
    Task post =
        new Task(
            "post",
            "http",
            flip ? reversed(httpArgs) : httpArgs,
            flip ? List.of("transform", "extract") : List.of("extract", "transform"),
            TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS,
            0,
            null,
            false,
            null,
            null,
            null,
            1,
            1,
            null,
            null,
            null,
            false,
            true,
            null,
            null,
            null,
            null,
            null);
    Task transform = Task.of("transform", "empty", null).withUpstream(List.of("extract"));
    List<Task> tasks = flip ? List.of(transform, extract, post) : List.of(extract, post, transform);
    return new Dag(
        "orders_daily",
        "Load yesterday's orders — \"all\" of them",
        new Schedule.Cron("@daily", "0 0 * * *", true),
        ZoneId.of("Europe/Amsterdam"),
        Instant.parse("2023-12-31T23:00:00Z"),
        null,
        true,
        3,
        8,
        Duration.ofHours(6),
        flip ? List.of("orders", "finance", "orders") : List.of("finance", "orders"),
        flip ? reversed(params) : params,
        tasks);
  }

  @Test
  void goldenFile() {
    Golden.assertMatches("representative-dag.json", DagSerializer.toJson(representative(false)));
  }

  @Test
  void orderOfMapsTasksUpstreamTagsAndNumberTypesDoesNotChangeTheBytesOrHash() {
    Dag a = representative(false);
    Dag b = representative(true);
    assertThat(b).isNotEqualTo(a); // really written differently

    assertThat(DagSerializer.toJson(b)).isEqualTo(DagSerializer.toJson(a));
    assertThat(DagSerializer.serialize(b)).isEqualTo(DagSerializer.serialize(a));
  }

  @Test
  void anyChangeChangesTheHash() {
    Dag a = representative(false);
    Task changed = a.tasks().get(0).withUpstream(List.of("post"));
    Dag b =
        new Dag(
            a.dagId(),
            a.description(),
            a.schedule(),
            a.timezone(),
            a.startDate(),
            a.endDate(),
            a.catchup(),
            a.maxActiveRuns(),
            a.maxActiveTasks(),
            a.dagrunTimeout(),
            a.tags(),
            a.params(),
            List.of(changed, a.tasks().get(1), a.tasks().get(2)));

    assertThat(DagSerializer.hash(b)).isNotEqualTo(DagSerializer.hash(a));
  }

  @Test
  void hashIsTheSha256OfTheUtf8Json() throws Exception {
    SerializedDag s = DagSerializer.serialize(representative(false));
    byte[] digest =
        MessageDigest.getInstance("SHA-256").digest(s.json().getBytes(StandardCharsets.UTF_8));

    assertThat(s.hash()).isEqualTo(HexFormat.of().formatHex(digest)).hasSize(64);
    assertThat(s.bytes()).isEqualTo(s.json().getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void shapeIsFixedVersionedAndSnakeCase() throws Exception {
    var root = new ObjectMapper().readTree(DagSerializer.toJson(representative(false)));

    assertThat(root.get("__version").intValue()).isEqualTo(1);
    assertThat(fieldNames(root)).containsExactly("__version", "dag");
    assertThat(fieldNames(root.get("dag")))
        .containsExactly(
            "catchup",
            "dag_id",
            "dagrun_timeout",
            "description",
            "end_date",
            "max_active_runs",
            "max_active_tasks",
            "params",
            "schedule",
            "start_date",
            "tags",
            "tasks",
            "timezone");
    for (var task : root.get("dag").get("tasks")) {
      assertThat(fieldNames(task))
          .containsExactly(
              "args",
              "depends_on_past",
              "doc",
              "end_date",
              "env",
              "execution_timeout",
              "max_active_tis_per_dag",
              "max_retry_delay",
              "operator",
              "owner",
              "pool",
              "pool_slots",
              "priority_weight",
              "queue",
              "retries",
              "retry_delay",
              "retry_exponential_backoff",
              "start_date",
              "task_id",
              "trigger_rule",
              "upstream",
              "wait_for_downstream",
              "weight_rule");
    }
  }

  private static List<String> fieldNames(com.fasterxml.jackson.databind.JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  static Stream<Schedule> schedules() {
    return Stream.of(
        new Schedule.Manual(),
        new Schedule.Once(),
        new Schedule.Continuous(),
        Schedule.Cron.of("@hourly", false),
        Schedule.Cron.of("0 2 * * 1-5", true),
        new Schedule.Delta("1h30m", Duration.ofMinutes(90)),
        new Schedule.Delta(null, Duration.ofDays(1)));
  }

  @ParameterizedTest
  @MethodSource("schedules")
  void everyScheduleRoundTrips(Schedule schedule) {
    Dag dag =
        new Dag(
            "d",
            null,
            schedule,
            null,
            null,
            null,
            false,
            1,
            1,
            null,
            null,
            null,
            List.of(Task.of("t", "empty", null)));
    String json = DagSerializer.toJson(dag);

    assertThat(DagSerializer.fromJson(json)).isEqualTo(dag);
    assertThat(DagSerializer.toJson(DagSerializer.fromJson(json))).isEqualTo(json);
  }

  @Test
  void scheduleJson() {
    assertThat(scheduleJson(new Schedule.Manual()))
        .isEqualTo("{\"expression\":null,\"text\":null,\"trigger\":false,\"type\":\"none\"}");
    assertThat(scheduleJson(Schedule.Cron.of("@daily", true)))
        .isEqualTo(
            "{\"expression\":\"0 0 * * *\",\"text\":\"@daily\",\"trigger\":true,\"type\":\"cron\"}");
    assertThat(scheduleJson(new Schedule.Delta("1d", Duration.ofDays(1))))
        .isEqualTo(
            "{\"expression\":\"PT24H\",\"text\":\"1d\",\"trigger\":false,\"type\":\"delta\"}");
  }

  private static String scheduleJson(Schedule s) {
    Dag dag = new Dag("d", null, s, null, null, null, false, 1, 1, null, null, null, null);
    String json = DagSerializer.toJson(dag);
    int start = json.indexOf("\"schedule\":") + "\"schedule\":".length();
    return json.substring(start, json.indexOf('}', start) + 1);
  }

  @Test
  void aCanonicalDagRoundTripsToAnEqualDag() {
    Dag canonical = DagSerializer.canonical(representative(true));
    // representative(false) is written in canonical order (tasks by id, sorted tags and upstream)
    // with the number types JSON reading gives back, so it comes back equal.
    assertThat(DagSerializer.fromJson(DagSerializer.toJson(representative(false))))
        .isEqualTo(representative(false))
        .isEqualTo(canonical);
  }

  @Test
  void readingThenWritingGivesTheSameBytes() {
    String json = DagSerializer.toJson(representative(true));

    assertThat(DagSerializer.toJson(DagSerializer.fromJson(json))).isEqualTo(json);
  }

  @Test
  void numbersComeBackAsTheSmallestIntegralTypeOrDouble() {
    Dag dag =
        DagSerializer.canonical(
            new Dag(
                "d",
                null,
                null,
                null,
                null,
                null,
                false,
                1,
                1,
                null,
                null,
                ordered(
                    "int",
                    5L,
                    "long",
                    BigInteger.valueOf(1L << 40),
                    "big",
                    BigInteger.TWO.pow(70),
                    "float",
                    0.5f,
                    "integral_double",
                    3.0),
                null));

    assertThat(dag.params())
        .isEqualTo(
            ordered(
                "big",
                BigInteger.TWO.pow(70),
                "float",
                0.5,
                "int",
                5,
                "integral_double",
                3.0,
                "long",
                1L << 40));
  }

  @Test
  void aDifferentFormatVersionIsRejectedClearly() {
    String json = DagSerializer.toJson(representative(false));

    assertThatThrownBy(
            () -> DagSerializer.fromJson(json.replace("\"__version\":1", "\"__version\":2")))
        .isInstanceOf(DagSerializationException.class)
        .hasMessage(
            "serialized DAG has format version 2 but this Updraft reads version 1 only — run the"
                + " Updraft version that wrote it, or let this one re-parse the DAG file");
    assertThatThrownBy(() -> DagSerializer.fromJson(json.replace("\"__version\":1,", "")))
        .hasMessageContaining("__version: missing");
  }

  @Test
  void aDocumentOfAnotherShapeIsRejectedNamingTheField() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    String json = DagSerializer.toJson(representative(false));

    ObjectNode extra = (ObjectNode) mapper.readTree(json);
    ((ObjectNode) extra.get("dag").get("tasks").get(0)).put("colour", "blue");
    assertThatThrownBy(() -> DagSerializer.fromJson(extra.toString()))
        .hasMessageContaining("dag.tasks[0].colour: unknown field");

    ObjectNode missing = (ObjectNode) mapper.readTree(json);
    ((ObjectNode) missing.get("dag")).remove("catchup");
    assertThatThrownBy(() -> DagSerializer.fromJson(missing.toString()))
        .hasMessageContaining("dag.catchup: missing");

    ObjectNode wrong = (ObjectNode) mapper.readTree(json);
    ((ObjectNode) wrong.get("dag").get("tasks").get(1)).put("retries", "two");
    assertThatThrownBy(() -> DagSerializer.fromJson(wrong.toString()))
        .hasMessageContaining("dag.tasks[1].retries: expected a whole number");

    ObjectNode badDuration = (ObjectNode) mapper.readTree(json);
    ((ObjectNode) badDuration.get("dag")).put("dagrun_timeout", "6h");
    assertThatThrownBy(() -> DagSerializer.fromJson(badDuration.toString()))
        .hasMessageContaining("dag.dagrun_timeout: '6h' is not valid here");

    assertThatThrownBy(() -> DagSerializer.fromJson("{\"__version\":1,\"dag\":{}} x"))
        .hasMessageStartingWith("serialized DAG is not valid JSON");
    assertThatThrownBy(() -> DagSerializer.fromJson("{\"__version\":1,\"__version\":1}"))
        .hasMessageStartingWith("serialized DAG is not valid JSON");
    assertThatThrownBy(() -> DagSerializer.fromJson("[]"))
        .hasMessageContaining("must be a JSON object");
  }

  @Test
  void keyOrderAndSpacingOfTheInputDoNotMatter() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    String json = DagSerializer.toJson(representative(false));
    String pretty =
        mapper.writerWithDefaultPrettyPrinter().writeValueAsString(mapper.readTree(json));

    assertThat(pretty).isNotEqualTo(json);
    assertThat(DagSerializer.toJson(DagSerializer.fromJson(pretty))).isEqualTo(json);
  }

  @Test
  void anUnserializableValueNamesTheDagTaskAndKey() {
    Dag dag =
        new Dag(
            "d",
            null,
            null,
            null,
            null,
            null,
            false,
            1,
            1,
            null,
            null,
            null,
            List.of(Task.of("t", "shell", Map.of("ratio", Arrays.asList(1.0, Double.NaN)))));

    assertThatThrownBy(() -> DagSerializer.toJson(dag))
        .isInstanceOf(DagSerializationException.class)
        .hasMessage(
            "DAG d cannot be serialized: tasks[t].args.ratio[1]: NaN has no JSON form — write it"
                + " as text (e.g. \"NaN\")");
  }
}
