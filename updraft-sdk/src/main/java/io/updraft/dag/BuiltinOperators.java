package io.updraft.dag;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The operators Updraft ships (SPEC §1.3) and the keys each accepts. The DAG validator uses this
 * registry to reject unknown operators and misspelt or mistyped operator keys before a DAG is
 * accepted, so a typo is an import error instead of a failure at run time.
 */
public final class BuiltinOperators {

  /** The kinds of condition a sensor's {@code wait} may name. */
  public static final List<String> SENSOR_CONDITIONS =
      List.of("file", "sql", "http", "time", "time_delta", "external_task", "command");

  /**
   * The keys each kind of wait condition takes (the kind's own key first): {@code {sql: ..., conn:
   * warehouse}}. Checked when the DAG file is read and again, rendered, when the sensor runs.
   */
  public static final Map<String, List<String>> SENSOR_CONDITION_KEYS =
      orderedKeys(
          "file", List.of("file"),
          "sql", List.of("sql", "conn"),
          "http", List.of("http", "conn", "method", "headers", "expect_status", "json", "timeout"),
          "time", List.of("time"),
          "time_delta", List.of("time_delta"),
          "external_task", List.of("external_task"),
          "command", List.of("command"));

  /** The keys of an {@code external_task} condition's map; {@code dag_id} is required. */
  public static final List<String> EXTERNAL_TASK_KEYS =
      List.of(
          "dag_id",
          "task_id",
          "logical_date",
          "execution_delta",
          "allowed_states",
          "failed_states");

  /**
   * The keys of an {@code http} condition's {@code json} check: {@code {pointer: /status, equals:
   * ready}} (a JSON Pointer, RFC 6901; without {@code equals} the value must be present and not
   * false, null, 0 or empty). A plain string is the pointer alone.
   */
  public static final List<String> HTTP_JSON_KEYS = List.of("pointer", "equals");

  /** A sensor's {@code mode} values; {@code defer} is the default. */
  public static final List<String> SENSOR_MODES = List.of("defer", "reschedule", "poke");

  private static final Map<String, OperatorSpec> SPECS = build();

  /**
   * The operators of SPEC §1.3 this build cannot run yet, with what to do meanwhile. A DAG using
   * one is refused when it is read, rather than accepted and failed at every try. None today.
   */
  private static final Map<String, String> NOT_YET = Map.of();

  private BuiltinOperators() {}

  /** The names of the built-in operators, in documentation order. */
  public static Set<String> names() {
    return SPECS.keySet();
  }

  /** The built-in operators this build can run, in documentation order. */
  public static List<String> available() {
    return SPECS.keySet().stream().filter(n -> !NOT_YET.containsKey(n)).toList();
  }

  /** Why a built-in operator cannot be used yet and what to do instead; empty if it can. */
  public static Optional<String> notAvailable(String name) {
    return Optional.ofNullable(NOT_YET.get(name))
        .map(fix -> "operator '" + name + "' is not available in this build yet — " + fix);
  }

  public static Optional<OperatorSpec> get(String name) {
    return Optional.ofNullable(SPECS.get(name));
  }

  private static Map<String, OperatorSpec> build() {
    Map<String, OperatorSpec> specs = new LinkedHashMap<>();
    add(
        specs,
        "shell",
        ordered(
            "command", ValueType.TEXT, "cwd", ValueType.TEXT, "skip_on_exit_code", ValueType.INT),
        Set.of("command"),
        null);
    add(specs, "empty", Map.of(), Set.of(), null);
    add(
        specs,
        "http",
        ordered(
            "conn", ValueType.TEXT,
            "method", ValueType.TEXT,
            "url", ValueType.TEXT,
            "endpoint", ValueType.TEXT,
            "headers", ValueType.STRING_MAP,
            "body", ValueType.ANY,
            "expect_status", ValueType.INT_OR_INT_LIST,
            "timeout", ValueType.DURATION,
            "response_xcom", ValueType.TEXT),
        Set.of(),
        BuiltinOperators::checkHttp);
    add(
        specs,
        "sql",
        ordered(
            "conn", ValueType.TEXT,
            "sql", ValueType.ANY,
            "sql_file", ValueType.TEXT,
            "parameters", ValueType.ANY),
        Set.of("conn"),
        BuiltinOperators::checkSql);
    add(specs, "branch", ordered("command", ValueType.TEXT), Set.of("command"), null);
    add(specs, "short_circuit", ordered("command", ValueType.TEXT), Set.of("command"), null);
    add(
        specs,
        "trigger_dag",
        ordered(
            "trigger_dag_id", ValueType.TEXT,
            "conf", ValueType.ANY,
            "logical_date", ValueType.TEXT,
            "trigger_run_id", ValueType.TEXT,
            "wait_for_completion", ValueType.BOOL,
            "allowed_states", ValueType.ANY,
            "failed_states", ValueType.ANY,
            "poke_interval", ValueType.DURATION),
        Set.of("trigger_dag_id"),
        null);
    add(
        specs,
        "email",
        ordered(
            "to", ValueType.ANY,
            "cc", ValueType.ANY,
            "bcc", ValueType.ANY,
            "subject", ValueType.TEXT,
            "html_content", ValueType.TEXT,
            "from", ValueType.TEXT,
            "conn", ValueType.TEXT),
        Set.of("to"),
        null);
    add(
        specs,
        "sensor",
        ordered(
            "wait", ValueType.ANY,
            "mode", ValueType.TEXT,
            "poke_interval", ValueType.DURATION,
            "exponential_backoff", ValueType.BOOL,
            "timeout", ValueType.DURATION,
            "soft_fail", ValueType.BOOL),
        Set.of("wait"),
        BuiltinOperators::checkSensor);
    return java.util.Collections.unmodifiableMap(specs);
  }

  private static void add(
      Map<String, OperatorSpec> specs,
      String name,
      Map<String, ValueType> keys,
      Set<String> required,
      java.util.function.BiConsumer<Map<String, Object>, List<Problem>> extra) {
    specs.put(name, new OperatorSpec(name, keys, required, extra));
  }

  private static Map<String, List<String>> orderedKeys(Object... pairs) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      @SuppressWarnings("unchecked")
      List<String> keys = (List<String>) pairs[i + 1];
      m.put((String) pairs[i], keys);
    }
    return java.util.Collections.unmodifiableMap(m);
  }

  private static Map<String, ValueType> ordered(Object... pairs) {
    Map<String, ValueType> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put((String) pairs[i], (ValueType) pairs[i + 1]);
    }
    return m;
  }

  /** One of url / endpoint; response_xcom one of body, json, none. */
  private static void checkHttp(Map<String, Object> args, List<Problem> out) {
    if (args.get("url") == null && args.get("endpoint") == null) {
      out.add(
          new Problem(
              "url",
              "http needs url: (a whole URL) or endpoint: (a path under the connection's host)"));
    }
    Object x = args.get("response_xcom");
    if (x instanceof String s
        && !s.contains("{{")
        && !List.of("body", "json", "none").contains(s)) {
      out.add(
          new Problem(
              "response_xcom", "response_xcom must be body, json or none, not '" + s + "'"));
    }
  }

  /** Exactly one of sql (a statement or a list of them) / sql_file. */
  private static void checkSql(Map<String, Object> args, List<Problem> out) {
    Object sql = args.get("sql");
    boolean file = args.get("sql_file") != null;
    if ((sql == null) == !file) {
      out.add(
          new Problem(
              "sql",
              "sql needs either sql: (a statement or a list of them) or sql_file: (a file next to"
                  + " the DAG file), not both"));
    } else if (sql != null
        && !(sql instanceof String)
        && !(sql instanceof List<?> l && l.stream().allMatch(String.class::isInstance))) {
      out.add(new Problem("sql", "sql must be a statement or a list of statements"));
    }
  }

  private static void checkSensor(Map<String, Object> args, List<Problem> out) {
    Object mode = args.get("mode");
    if (mode instanceof String m && m.contains("{{")) {
      out.add(
          new Problem(
              "mode",
              "mode must be written out as one of "
                  + String.join(", ", SENSOR_MODES)
                  + ", not a template — the scheduler decides by it before any try runs"));
    } else if (mode instanceof String m && !SENSOR_MODES.contains(m)) {
      out.add(
          new Problem(
              "mode",
              "unknown sensor mode '"
                  + m
                  + "' — use one of "
                  + String.join(", ", SENSOR_MODES)
                  + Suggestions.didYouMean(m, SENSOR_MODES, "; ")));
    }
    Optional<java.time.Duration> interval = literalDuration(args.get("poke_interval"));
    Optional<java.time.Duration> timeout = literalDuration(args.get("timeout"));
    if (timeout.isPresent()
        && timeout.get().compareTo(interval.orElse(java.time.Duration.ofSeconds(60))) < 0) {
      out.add(
          new Problem(
              "timeout",
              "timeout ("
                  + Durations.format(timeout.get())
                  + ") is shorter than poke_interval ("
                  + Durations.format(interval.orElse(java.time.Duration.ofSeconds(60)))
                  + (interval.isEmpty() ? ", the default" : "")
                  + ") — the sensor could check only once; raise timeout or lower"
                  + " poke_interval"));
    }
    Object wait = args.get("wait");
    if (wait == null) {
      return; // reported as a missing required key
    }
    if (wait instanceof Map<?, ?> one) {
      checkCondition(one, "wait", out);
    } else if (wait instanceof List<?> list && !list.isEmpty()) {
      for (int i = 0; i < list.size(); i++) {
        String path = "wait[" + i + "]";
        if (list.get(i) instanceof Map<?, ?> c) {
          checkCondition(c, path, out);
        } else {
          out.add(new Problem(path, "a wait condition must be a map — " + CONDITION_HINT));
        }
      }
    } else {
      out.add(
          new Problem(
              "wait", "wait must be a condition or a non-empty list of them — " + CONDITION_HINT));
    }
  }

  /** A duration written out in the DAG file (not a template); empty otherwise. */
  private static Optional<java.time.Duration> literalDuration(Object v) {
    if (v instanceof java.time.Duration d) {
      return Optional.of(d);
    }
    if (v instanceof Number n && n.doubleValue() >= 0) {
      return Optional.of(java.time.Duration.ofMillis(Math.round(n.doubleValue() * 1000)));
    }
    return v instanceof String t ? Durations.parse(t) : Optional.empty();
  }

  private static final String CONDITION_HINT =
      "write e.g. {file: /data/ready.csv}; kinds are " + String.join(", ", SENSOR_CONDITIONS);

  /**
   * A condition names exactly one kind; its other keys must be that kind's ({@link
   * #SENSOR_CONDITION_KEYS}), a {@code file} pattern must be a good glob, an {@code external_task}
   * a map with {@code dag_id}, and an {@code sql} needs its {@code conn}.
   */
  private static void checkCondition(Map<?, ?> condition, String path, List<Problem> out) {
    List<String> kinds = new ArrayList<>();
    for (Object key : condition.keySet()) {
      if (SENSOR_CONDITIONS.contains(String.valueOf(key))) {
        kinds.add(String.valueOf(key));
      }
    }
    if (kinds.isEmpty()) {
      String hint = "";
      for (Object key : condition.keySet()) {
        hint = Suggestions.didYouMean(String.valueOf(key), SENSOR_CONDITIONS, "; ");
        if (!hint.isEmpty()) {
          break;
        }
      }
      out.add(
          new Problem(
              path,
              "a wait condition must name one of " + String.join(", ", SENSOR_CONDITIONS) + hint));
    } else if (kinds.size() > 1) {
      out.add(
          new Problem(
              path,
              "a wait condition names several kinds ("
                  + String.join(", ", kinds)
                  + ") — make each its own item of a wait list"));
    } else {
      String kind = kinds.get(0);
      Object value = condition.get(kind);
      ValueType type =
          switch (kind) {
            case "time_delta" -> ValueType.DURATION;
            case "time" -> ValueType.TIME_OF_DAY;
            default -> ValueType.ANY;
          };
      if (!type.accepts(value)) {
        out.add(
            new Problem(
                path + "." + kind,
                kind
                    + " must be "
                    + type.description()
                    + ", not "
                    + OperatorSpec.describe(value)
                    + " — fix the value"));
      }
      unknownKeys(condition.keySet(), SENSOR_CONDITION_KEYS.get(kind), kind, path, out);
      checkConditionValues(kind, condition, path, out);
    }
  }

  private static void checkConditionValues(
      String kind, Map<?, ?> condition, String path, List<Problem> out) {
    Object value = condition.get(kind);
    switch (kind) {
      case "file" -> {
        if (value instanceof String pattern && !pattern.contains("{{")) {
          String bad = Glob.isPattern(pattern) ? Glob.problem(pattern) : null;
          if (bad != null) {
            out.add(new Problem(path + ".file", "file is not a good pattern: " + bad));
          }
        }
      }
      case "sql" -> {
        if (condition.get("conn") == null) {
          out.add(
              new Problem(
                  path, "an sql condition needs conn: (the id of the database's connection)"));
        }
      }
      case "http" -> {
        Object json = condition.get("json");
        if (json instanceof Map<?, ?> j) {
          unknownKeys(j.keySet(), HTTP_JSON_KEYS, "json", path + ".json", out);
          if (j.get("pointer") == null) {
            out.add(
                new Problem(
                    path + ".json", "json needs pointer: (a JSON Pointer such as /status)"));
          }
        } else if (json != null && !(json instanceof String)) {
          out.add(
              new Problem(
                  path + ".json",
                  "json must be {pointer: /status, equals: ready} or a pointer such as /status"));
        }
      }
      case "external_task" -> {
        if (!(value instanceof Map<?, ?> e)) {
          out.add(
              new Problem(
                  path + ".external_task",
                  "external_task must be a map such as {dag_id: load_orders, task_id: load}"));
          return;
        }
        unknownKeys(e.keySet(), EXTERNAL_TASK_KEYS, "external_task", path + ".external_task", out);
        if (e.get("dag_id") == null) {
          out.add(
              new Problem(
                  path + ".external_task", "external_task needs dag_id: (the DAG to wait for)"));
        }
        if (e.get("logical_date") != null && e.get("execution_delta") != null) {
          out.add(
              new Problem(
                  path + ".external_task.execution_delta",
                  "external_task sets both logical_date and execution_delta — keep one"));
        }
      }
      default -> {}
    }
  }

  private static void unknownKeys(
      java.util.Collection<?> keys,
      List<String> allowed,
      String owner,
      String path,
      List<Problem> out) {
    for (Object k : keys) {
      String key = String.valueOf(k);
      if (!allowed.contains(key)) {
        out.add(new Problem(path + "." + key, unknownKey(key, allowed, owner)));
      }
    }
  }

  /**
   * "unknown key 'x' for sql — its keys are sql, conn; did you mean ...?": the line for a key of a
   * sensor condition (or of its {@code json} / {@code external_task} map) that is not one.
   */
  public static String unknownKey(String key, List<String> allowed, String owner) {
    return "unknown key '"
        + key
        + "' for "
        + owner
        + " — its keys are "
        + String.join(", ", allowed)
        + Suggestions.didYouMean(key, allowed, "; ");
  }
}
