package io.updraft.sensors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link SensorSpec} as JSON, for a trigger row's kwargs: one object per condition with its
 * {@code kind}, durations as ISO-8601, instants as ISO-8601 UTC. Written and read by this class
 * only, so the layout is free to change with both.
 */
final class SensorJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SensorJson() {}

  static String write(SensorSpec spec) {
    ObjectNode root = JSON.createObjectNode();
    root.put("mode", spec.mode().id());
    root.put("poke_interval", spec.pokeInterval().toString());
    root.put("exponential_backoff", spec.exponentialBackoff());
    root.put("timeout", spec.timeout().toString());
    root.put("soft_fail", spec.softFail());
    ArrayNode conditions = root.putArray("conditions");
    for (Condition c : spec.conditions()) {
      conditions.add(condition(c));
    }
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a sensor spec cannot be written as JSON: " + e, e);
    }
  }

  private static ObjectNode condition(Condition condition) {
    ObjectNode n = JSON.createObjectNode();
    switch (condition) {
      case Condition.File f -> n.put("kind", "file").put("pattern", f.pattern());
      case Condition.Sql s -> n.put("kind", "sql").put("conn", s.connId()).put("sql", s.sql());
      case Condition.Http h -> {
        n.put("kind", "http").put("conn", h.connId()).put("url", h.url());
        n.put("method", h.method());
        n.set("headers", JSON.valueToTree(h.headers()));
        n.set("expect_status", JSON.valueToTree(h.expectStatus()));
        n.put("json_pointer", h.jsonPointer());
        n.set("json_equals", JSON.valueToTree(h.jsonEquals()));
        n.put("timeout", h.timeout() == null ? null : h.timeout().toString());
      }
      case Condition.At a ->
          n.put("kind", "at").put("at", a.at().toString()).put("source", a.source());
      case Condition.ExternalTask e -> {
        n.put("kind", "external_task").put("dag_id", e.dagId()).put("task_id", e.taskId());
        n.put("logical_date", e.logicalDate() == null ? null : e.logicalDate().toString());
        n.put("run_id", e.runId());
        n.set("allowed_states", JSON.valueToTree(e.allowedStates()));
        n.set("failed_states", JSON.valueToTree(e.failedStates()));
      }
      case Condition.Command c -> n.put("kind", "command").put("command", c.command());
    }
    return n;
  }

  static SensorSpec read(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new SensorArgumentException("a sensor spec is not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject() || !root.path("conditions").isArray()) {
      throw new SensorArgumentException("a sensor spec must be an object with conditions: " + json);
    }
    List<Condition> conditions = new ArrayList<>();
    root.get("conditions").forEach(c -> conditions.add(condition(c)));
    return new SensorSpec(
        SensorMode.fromId(root.path("mode").asText("defer")),
        duration(root.get("poke_interval")),
        root.path("exponential_backoff").asBoolean(false),
        duration(root.get("timeout")),
        root.path("soft_fail").asBoolean(false),
        conditions);
  }

  private static Condition condition(JsonNode n) {
    String kind = n.path("kind").asText("");
    return switch (kind) {
      case "file" -> new Condition.File(text(n, "pattern"));
      case "sql" -> new Condition.Sql(text(n, "conn"), text(n, "sql"));
      case "http" -> {
        Map<String, String> headers = new LinkedHashMap<>();
        n.path("headers").properties().forEach(e -> headers.put(e.getKey(), e.getValue().asText()));
        List<Integer> statuses = new ArrayList<>();
        n.path("expect_status").forEach(s -> statuses.add(s.asInt()));
        JsonNode eq = n.get("json_equals");
        yield new Condition.Http(
            text(n, "conn"),
            text(n, "url"),
            text(n, "method"),
            headers,
            statuses,
            text(n, "json_pointer"),
            eq == null || eq.isNull() ? null : JSON.convertValue(eq, Object.class),
            duration(n.get("timeout")));
      }
      case "at" -> new Condition.At(Instant.parse(text(n, "at")), text(n, "source"));
      case "external_task" -> {
        String date = text(n, "logical_date");
        yield new Condition.ExternalTask(
            text(n, "dag_id"),
            text(n, "task_id"),
            date == null ? null : Instant.parse(date),
            text(n, "run_id"),
            strings(n.path("allowed_states")),
            strings(n.path("failed_states")));
      }
      case "command" -> new Condition.Command(text(n, "command"));
      default -> throw new SensorArgumentException("a sensor spec names an unknown kind: " + n);
    };
  }

  private static String text(JsonNode n, String key) {
    JsonNode v = n.get(key);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static Duration duration(JsonNode v) {
    return v == null || v.isNull() ? null : Duration.parse(v.asText());
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(s -> out.add(s.asText()));
    return out;
  }
}
