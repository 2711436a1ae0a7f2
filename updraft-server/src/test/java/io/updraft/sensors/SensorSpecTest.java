package io.updraft.sensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A sensor's rendered arguments read into a spec, every kind of condition, and bad arguments. */
class SensorSpecTest {
  static final Instant LOGICAL = Instant.parse("2024-03-09T00:00:00Z");
  static final Instant END = Instant.parse("2024-03-10T00:00:00Z");
  static final SensorSpec.RunDates BERLIN =
      new SensorSpec.RunDates(ZoneId.of("Europe/Berlin"), LOGICAL, END);

  static Map<String, Object> args(Object... pairs) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put((String) pairs[i], pairs[i + 1]);
    }
    return m;
  }

  @Test
  void defaultsAreAirflows() {
    SensorSpec s = SensorSpec.fromArgs(args("wait", Map.of("file", "/x")), BERLIN);
    assertThat(s.mode()).isEqualTo(SensorMode.DEFER);
    assertThat(s.pokeInterval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(s.timeout()).isEqualTo(Duration.ofDays(7));
    assertThat(s.exponentialBackoff()).isFalse();
    assertThat(s.softFail()).isFalse();
    assertThat(s.conditions()).containsExactly(new Condition.File("/x"));
  }

  @Test
  void everyKindOfCondition() {
    SensorSpec s =
        SensorSpec.fromArgs(
            args(
                "mode",
                "reschedule",
                "poke_interval",
                "30s",
                "timeout",
                600,
                "exponential_backoff",
                "true",
                "soft_fail",
                true,
                "wait",
                List.of(
                    Map.of("file", "in/*.csv"),
                    Map.of("sql", "select 1", "conn", "warehouse"),
                    args(
                        "http", "/ready",
                        "conn", "api",
                        "method", "head",
                        "headers", Map.of("X-A", 1),
                        "expect_status", List.of(200, 204),
                        "json", Map.of("pointer", "/status", "equals", "ready"),
                        "timeout", "5s"),
                    Map.of("time", "06:00"),
                    Map.of("time_delta", "2h"),
                    Map.of("external_task", Map.of("dag_id", "load", "task_id", "t")),
                    Map.of("command", "test -s x"))),
            BERLIN);
    assertThat(s.mode()).isEqualTo(SensorMode.RESCHEDULE);
    assertThat(s.pokeInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.timeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(s.exponentialBackoff()).isTrue();
    assertThat(s.softFail()).isTrue();
    assertThat(s.conditions())
        .containsExactly(
            new Condition.File("in/*.csv"),
            new Condition.Sql("warehouse", "select 1"),
            new Condition.Http(
                "api",
                "/ready",
                "HEAD",
                Map.of("X-A", "1"),
                List.of(200, 204),
                "/status",
                "ready",
                Duration.ofSeconds(5)),
            // 06:00 in Berlin (UTC+1 in March before the change) on the day of the interval's end
            new Condition.At(Instant.parse("2024-03-10T05:00:00Z"), "time 06:00"),
            new Condition.At(Instant.parse("2024-03-10T02:00:00Z"), "time_delta 2h"),
            new Condition.ExternalTask(
                "load", "t", LOGICAL, null, List.of("success"), List.of("failed")),
            new Condition.Command("test -s x"));
  }

  @Test
  void externalTaskDates() {
    Condition byDelta =
        SensorSpec.fromArgs(
                args(
                    "wait",
                    Map.of("external_task", Map.of("dag_id", "a", "execution_delta", "1d"))),
                BERLIN)
            .conditions()
            .get(0);
    assertThat(((Condition.ExternalTask) byDelta).logicalDate())
        .isEqualTo(Instant.parse("2024-03-08T00:00:00Z"));
    Condition.ExternalTask byDate =
        (Condition.ExternalTask)
            SensorSpec.fromArgs(
                    args(
                        "wait",
                        Map.of(
                            "external_task",
                            Map.of(
                                "dag_id",
                                "a",
                                "logical_date",
                                "2024-03-01T06:00:00+01:00",
                                "allowed_states",
                                List.of("success", "skipped"),
                                "failed_states",
                                "failed, upstream_failed"))),
                    BERLIN)
                .conditions()
                .get(0);
    assertThat(byDate.logicalDate()).isEqualTo(Instant.parse("2024-03-01T05:00:00Z"));
    assertThat(byDate.taskId()).isNull();
    assertThat(byDate.allowedStates()).containsExactly("success", "skipped");
    assertThat(byDate.failedStates()).containsExactly("failed", "upstream_failed");
  }

  @Test
  void aDateWithoutTimeIsUtcMidnight() {
    Condition.ExternalTask e =
        (Condition.ExternalTask)
            SensorSpec.fromArgs(
                    args(
                        "wait",
                        Map.of(
                            "external_task", Map.of("dag_id", "a", "logical_date", "2024-03-01"))),
                    BERLIN)
                .conditions()
                .get(0);
    assertThat(e.logicalDate()).isEqualTo(Instant.parse("2024-03-01T00:00:00Z"));
  }

  @Test
  void badArgumentsAreOneLineNamingTheKey() {
    assertBad(args("wait", List.of()), "wait must be a condition or a non-empty list");
    assertBad(args("wait", Map.of("fiel", "x")), "wait names no kind of condition");
    assertBad(
        args("wait", List.of(Map.of("file", "x"), Map.of("file", "a", "sql", "b"))),
        "wait[1] names several kinds (");
    assertBad(
        args("wait", Map.of("file", "x", "con", "y")),
        "wait: unknown key 'con' for file — its keys are file");
    assertBad(
        args("wait", Map.of("sql", "select 1", "cnn", "db")),
        "unknown key 'cnn' for sql — its keys are sql, conn; did you mean conn?");
    assertBad(args("wait", Map.of("sql", "select 1")), "wait needs conn:");
    assertBad(args("wait", Map.of("file", "in/[ab.csv")), "never closed");
    assertBad(args("wait", Map.of("time", "6 am")), "wait.time must be a time of day");
    assertBad(args("wait", Map.of("time_delta", "soon")), "wait.time_delta must be a duration");
    assertBad(
        args("wait", Map.of("external_task", Map.of("task_id", "x"))), "needs dag_id: (the DAG");
    assertBad(
        args("wait", Map.of("external_task", Map.of("dag_id", "x", "dag", "y"))),
        "unknown key 'dag' for external_task");
    assertBad(
        args(
            "wait",
            Map.of(
                "external_task",
                Map.of("dag_id", "x", "logical_date", "2024-01-01", "execution_delta", "1h"))),
        "sets both logical_date and execution_delta");
    assertBad(
        args(
            "wait",
            Map.of("external_task", Map.of("dag_id", "x", "allowed_states", List.of("sucess")))),
        "unknown state 'sucess' — did you mean success?");
    assertBad(
        args(
            "wait",
            Map.of("external_task", Map.of("dag_id", "x", "failed_states", List.of("success")))),
        "lists success in both allowed_states and failed_states");
    assertBad(
        args("wait", Map.of("external_task", Map.of("dag_id", "x", "logical_date", "yesterday"))),
        "logical_date must be ISO-8601");
    assertBad(
        args("wait", Map.of("http", "/x", "json", Map.of("path", "/a"))),
        "unknown key 'path' for json");
    assertBad(args("wait", Map.of("http", "/x", "json", "status")), "must start with /");
    assertBad(args("wait", Map.of("file", "x"), "mode", "pokes"), "did you mean poke?");
    assertBad(
        args("wait", Map.of("file", "x"), "timeout", "10s", "poke_interval", "1m"),
        "timeout (PT10S) is shorter than poke_interval (PT1M)");
    assertBad(args("wait", Map.of("file", "x"), "soft_fail", "maybe"), "soft_fail must be true");
  }

  private static void assertBad(Map<String, Object> args, String message) {
    assertThatThrownBy(() -> SensorSpec.fromArgs(args, BERLIN))
        .isInstanceOf(SensorArgumentException.class)
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void jsonRoundTrip() {
    SensorSpec s =
        new SensorSpec(
            SensorMode.POKE,
            Duration.ofSeconds(5),
            true,
            Duration.ofHours(2),
            true,
            List.of(
                new Condition.File("/data/**/x.csv"),
                new Condition.Sql("db", "select 1 where 'a' = 'a'"),
                new Condition.Http(
                    null,
                    "https://h/x",
                    "GET",
                    Map.of("A", "b"),
                    List.of(200),
                    "/s",
                    Map.of("n", 1),
                    null),
                new Condition.Http(
                    "api", "/y", "POST", Map.of(), List.of(), null, null, Duration.ofSeconds(3)),
                new Condition.At(END, "time_delta 0s"),
                new Condition.ExternalTask(
                    "a", null, null, "manual__1", List.of("success"), List.of("failed")),
                new Condition.ExternalTask(
                    "a", "t", LOGICAL, null, List.of("success", "skipped"), List.of()),
                new Condition.Command("echo \"hi\"")));
    String json = s.toJson();
    assertThat(SensorSpec.fromJson(json)).isEqualTo(s);
    assertThat(SensorSpec.fromJson(json).toJson()).isEqualTo(json);
  }

  @Test
  void badJsonIsAnArgumentError() {
    assertThatThrownBy(() -> SensorSpec.fromJson("{")).isInstanceOf(SensorArgumentException.class);
    assertThatThrownBy(() -> SensorSpec.fromJson("{\"conditions\":[{\"kind\":\"x\"}]}"))
        .isInstanceOf(SensorArgumentException.class)
        .hasMessageContaining("unknown kind");
  }
}
