package io.updraft.serde;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.updraft.dag.Callbacks;
import io.updraft.dag.Dag;
import io.updraft.dag.Deadline;
import io.updraft.dag.Notifier;
import io.updraft.dag.Schedule;
import io.updraft.dag.Task;
import io.updraft.dag.TriggerRule;
import io.updraft.dag.WeightRule;
import io.updraft.serde.DagSerializer.ScheduleType;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the JSON {@link DagSerializer} writes back into a {@link Dag}. Strict: every field must be
 * there with its type, and no other field may be, so a document of another shape fails loudly
 * instead of silently losing a setting. The format version is checked before anything else.
 */
final class DagJsonReader {
  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private DagJsonReader() {}

  static Dag read(String json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new DagSerializationException(
          "serialized DAG is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw fail("", "the document must be a JSON object with __version and dag");
    }
    JsonNode version = root.get("__version");
    if (version == null || !version.isIntegralNumber()) {
      throw fail("__version", "missing — this is not a DAG serialized by Updraft");
    }
    if (!version.canConvertToInt() || version.intValue() != DagSerializer.FORMAT_VERSION) {
      throw new DagSerializationException(
          "serialized DAG has format version "
              + version.asText()
              + " but this Updraft reads version "
              + DagSerializer.FORMAT_VERSION
              + " only — run the Updraft version that wrote it, or let this one re-parse the"
              + " DAG file");
    }
    Fields r = new Fields(root, "");
    r.node("__version");
    Dag dag = dag(new Fields(r.object("dag"), "dag"));
    r.done();
    return dag;
  }

  private static Dag dag(Fields f) {
    List<Task> tasks = new ArrayList<>();
    JsonNode taskNodes = f.array("tasks");
    for (int i = 0; i < taskNodes.size(); i++) {
      JsonNode t = taskNodes.get(i);
      String at = f.path + ".tasks[" + i + "]";
      if (!t.isObject()) {
        throw fail(at, "expected an object");
      }
      tasks.add(task(new Fields(t, at)));
    }
    Dag dag =
        new Dag(
            f.string("dag_id"),
            f.nullableString("description"),
            schedule(new Fields(f.object("schedule"), f.path + ".schedule")),
            f.parsed("timezone", ZoneId::of),
            f.instant("start_date"),
            f.instant("end_date"),
            f.bool("catchup"),
            f.integer("max_active_runs"),
            f.integer("max_active_tasks"),
            f.duration("dagrun_timeout"),
            f.strings("tags"),
            f.map("params"),
            tasks,
            callbacks(f),
            deadline(f));
    f.done();
    return dag;
  }

  private static Task task(Fields f) {
    Task task =
        new Task(
            f.string("task_id"),
            f.string("operator"),
            f.map("args"),
            f.strings("upstream"),
            f.parsed("trigger_rule", id -> TriggerRule.fromId(id).orElseThrow()),
            f.integer("retries"),
            f.duration("retry_delay"),
            f.bool("retry_exponential_backoff"),
            f.duration("max_retry_delay"),
            f.duration("execution_timeout"),
            f.string("pool"),
            f.integer("pool_slots"),
            f.integer("priority_weight"),
            f.parsed("weight_rule", id -> WeightRule.fromId(id).orElseThrow()),
            f.string("queue"),
            f.nullableInteger("max_active_tis_per_dag"),
            f.bool("depends_on_past"),
            f.bool("wait_for_downstream"),
            f.instant("start_date"),
            f.instant("end_date"),
            f.env("env"),
            f.string("owner"),
            f.nullableString("doc"),
            callbacks(f),
            f.node.has("outlets") ? f.strings("outlets") : List.of(),
            f.node.has("executor_config") ? f.map("executor_config") : Map.of());
    f.done();
    return task;
  }

  /** The optional {@code callbacks} of a task or DAG. */
  private static Callbacks callbacks(Fields f) {
    if (!f.node.has("callbacks")) {
      return Callbacks.NONE;
    }
    Map<String, Object> m = f.map("callbacks");
    Map<String, List<Notifier>> byEvent = new LinkedHashMap<>();
    m.forEach((event, list) -> byEvent.put(event, notifiers(f.at("callbacks." + event), list)));
    return new Callbacks(byEvent);
  }

  private static Deadline deadline(Fields f) {
    if (!f.node.has("deadline")) {
      return null;
    }
    Fields d = new Fields(f.object("deadline"), f.at("deadline"));
    Deadline deadline =
        new Deadline(
            d.parsed("reference", Deadline.Reference::fromId),
            d.duration("interval"),
            notifiers(d.at("callback"), value(d.array("callback"))));
    d.done();
    return deadline;
  }

  private static List<Notifier> notifiers(String path, Object value) {
    try {
      return Notifier.parseAll(value);
    } catch (IllegalArgumentException e) {
      throw fail(path, e.getMessage());
    }
  }

  private static Schedule schedule(Fields f) {
    String type = f.string("type");
    String text = f.nullableString("text");
    String expression = f.nullableString("expression");
    boolean trigger = f.bool("trigger");
    f.done();
    Schedule s =
        switch (type) {
          case ScheduleType.NONE -> new Schedule.Manual();
          case ScheduleType.ONCE -> new Schedule.Once();
          case ScheduleType.CONTINUOUS -> new Schedule.Continuous();
          case ScheduleType.CRON -> {
            if (text == null || expression == null) {
              throw fail(f.path, "a cron schedule needs text and expression");
            }
            yield new Schedule.Cron(text, expression, trigger);
          }
          case ScheduleType.DELTA -> {
            if (expression == null) {
              throw fail(f.path, "a delta schedule needs its interval as expression");
            }
            yield new Schedule.Delta(text, f.parse("expression", expression, Duration::parse));
          }
          default ->
              throw fail(
                  f.path + ".type",
                  "unknown schedule type '"
                      + type
                      + "' — expected none, once, continuous, cron"
                      + " or delta");
        };
    if (!(s instanceof Schedule.Cron) && trigger) {
      throw fail(f.path + ".trigger", "only a cron schedule can be a trigger");
    }
    return s;
  }

  /** Plain Java value of a JSON value; see {@link DagSerializer} for the number types. */
  private static Object value(JsonNode n) {
    if (n.isNull()) {
      return null;
    }
    if (n.isTextual()) {
      return n.textValue();
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    if (n.isIntegralNumber()) {
      // Jackson picks int, long or BigInteger by size: the smallest that holds the value.
      return n.numberValue();
    }
    if (n.isNumber()) {
      return n.doubleValue();
    }
    if (n.isArray()) {
      List<Object> list = new ArrayList<>(n.size());
      n.forEach(item -> list.add(value(item)));
      return Collections.unmodifiableList(list);
    }
    Map<String, Object> map = new LinkedHashMap<>();
    n.fields().forEachRemaining(e -> map.put(e.getKey(), value(e.getValue())));
    return Collections.unmodifiableMap(map);
  }

  private static DagSerializationException fail(String path, String message) {
    return new DagSerializationException(
        "serialized DAG is not valid: " + (path.isEmpty() ? "" : path + ": ") + message);
  }

  /** The fields of one JSON object, read by name; {@link #done} rejects any not read. */
  private static final class Fields {
    final JsonNode node;
    final String path;
    final Set<String> read = new HashSet<>();

    Fields(JsonNode node, String path) {
      this.node = node;
      this.path = path;
    }

    String at(String name) {
      return path.isEmpty() ? name : path + "." + name;
    }

    JsonNode node(String name) {
      JsonNode n = node.get(name);
      if (n == null) {
        throw fail(at(name), "missing");
      }
      read.add(name);
      return n;
    }

    JsonNode object(String name) {
      JsonNode n = node(name);
      if (!n.isObject()) {
        throw fail(at(name), "expected an object");
      }
      return n;
    }

    JsonNode array(String name) {
      JsonNode n = node(name);
      if (!n.isArray()) {
        throw fail(at(name), "expected a list");
      }
      return n;
    }

    String string(String name) {
      String s = nullableString(name);
      if (s == null) {
        throw fail(at(name), "expected text, not null");
      }
      return s;
    }

    String nullableString(String name) {
      JsonNode n = node(name);
      if (n.isNull()) {
        return null;
      }
      if (!n.isTextual()) {
        throw fail(at(name), "expected text, not " + n);
      }
      return n.textValue();
    }

    boolean bool(String name) {
      JsonNode n = node(name);
      if (!n.isBoolean()) {
        throw fail(at(name), "expected true or false, not " + n);
      }
      return n.booleanValue();
    }

    int integer(String name) {
      Integer i = nullableInteger(name);
      if (i == null) {
        throw fail(at(name), "expected a whole number, not null");
      }
      return i;
    }

    Integer nullableInteger(String name) {
      JsonNode n = node(name);
      if (n.isNull()) {
        return null;
      }
      if (!n.isInt()) {
        throw fail(at(name), "expected a whole number (32 bits), not " + n);
      }
      return n.intValue();
    }

    <T> T parsed(String name, Function<String, T> parser) {
      String s = nullableString(name);
      return s == null ? null : parse(name, s, parser);
    }

    <T> T parse(String name, String text, Function<String, T> parser) {
      try {
        return parser.apply(text);
      } catch (RuntimeException e) { // DateTimeException, NoSuchElementException
        throw fail(at(name), "'" + text + "' is not valid here: " + e.getMessage());
      }
    }

    Instant instant(String name) {
      return parsed(name, Instant::parse);
    }

    Duration duration(String name) {
      return parsed(name, Duration::parse);
    }

    List<String> strings(String name) {
      JsonNode n = array(name);
      List<String> out = new ArrayList<>(n.size());
      for (int i = 0; i < n.size(); i++) {
        if (!n.get(i).isTextual()) {
          throw fail(at(name) + "[" + i + "]", "expected text, not " + n.get(i));
        }
        out.add(n.get(i).textValue());
      }
      return out;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> map(String name) {
      return (Map<String, Object>) value(object(name));
    }

    Map<String, String> env(String name) {
      JsonNode n = object(name);
      Map<String, String> out = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode v = e.getValue();
        if (!v.isNull() && !v.isTextual()) {
          throw fail(at(name) + "." + e.getKey(), "expected text or null, not " + v);
        }
        out.put(e.getKey(), v.isNull() ? null : v.textValue());
      }
      return out;
    }

    void done() {
      for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        if (!read.contains(name)) {
          throw fail(at(name), "unknown field — this DAG was written by another Updraft version");
        }
      }
    }
  }
}
