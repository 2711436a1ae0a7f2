package io.updraft.serde;

import io.updraft.dag.Callbacks;
import io.updraft.dag.Dag;
import io.updraft.dag.Deadline;
import io.updraft.dag.Notifier;
import io.updraft.dag.Schedule;
import io.updraft.dag.Task;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The canonical JSON form of a {@link Dag} and its hash: the same DAG gives the same bytes whatever
 * order its maps were filled in, its tasks declared or its upstream lists written, so the hash says
 * exactly whether a DAG changed.
 *
 * <p>Shape: {@code {"__version":1,"dag":{...}}}, one line, UTF-8, written by {@link CanonicalJson}
 * (keys sorted, fixed number and string spellings). Every field of {@link Dag} and {@link Task} is
 * always written, {@code null} when unset, under its DAG-file name in snake_case ({@code dag_id},
 * {@code max_active_runs}, {@code retry_delay}...). Beyond key order, these are made canonical:
 *
 * <ul>
 *   <li>tasks are sorted by task_id (declaration order carries no meaning once upstream is
 *       explicit);
 *   <li>upstream lists and tags are sorted and duplicates dropped: both are sets in Airflow (a tag
 *       is a label for filtering, not a sequence);
 *   <li>durations are ISO-8601 ({@link Duration#toString()}), instants ISO-8601 UTC ({@link
 *       Instant#toString()}), the time zone is its id, trigger rules and weight rules their
 *       DAG-file ids;
 *   <li>{@code callbacks} (a task's or the DAG's, by event, each a list of notifiers in their
 *       written form) and the DAG's {@code deadline} are written only when set, so DAGs without
 *       them keep their hashes;
 *   <li>the schedule is {@code {"expression","text","trigger","type"}} with type {@code none},
 *       {@code once}, {@code continuous}, {@code cron} or {@code delta}; for a delta the expression
 *       is the interval in ISO-8601, for none/once/continuous it is null.
 * </ul>
 *
 * <p>{@link #fromJson} gives back a DAG in that canonical order, with numbers in params and args as
 * Integer, Long or BigInteger (the smallest that holds an integral value) or Double, and nested
 * maps and lists unmodifiable; see {@link #canonical}. Reading then writing a serialized DAG gives
 * the same bytes.
 */
public final class DagSerializer {
  /** The format version written under {@code "__version"}; bump it on any change of shape. */
  public static final int FORMAT_VERSION = 1;

  private DagSerializer() {}

  /** The DAG's canonical JSON and its SHA-256. */
  public static SerializedDag serialize(Dag dag) {
    String json = toJson(dag);
    return new SerializedDag(json, sha256(json));
  }

  /**
   * The DAG's canonical JSON text.
   *
   * @throws DagSerializationException when a param or arg holds a value JSON cannot (NaN, a Java
   *     object that is not a string, number, boolean, list or map), naming the DAG and the key
   */
  public static String toJson(Dag dag) {
    try {
      Map<String, Object> root = new HashMap<>();
      root.put("__version", FORMAT_VERSION);
      root.put("dag", new CanonicalJson.Raw(dagJson(dag)));
      return CanonicalJson.write(root);
    } catch (DagSerializationException e) {
      throw new DagSerializationException(
          "DAG " + dag.dagId() + " cannot be serialized: " + e.getMessage(), e);
    }
  }

  /** The SHA-256 of the DAG's canonical JSON, as 64 lower-case hex digits. */
  public static String hash(Dag dag) {
    return sha256(toJson(dag));
  }

  /**
   * Reads a DAG from its serialized JSON (canonical or not: key order and spacing do not matter).
   *
   * @throws DagSerializationException if the text is not JSON, has another format version, or
   *     lacks, adds or mistypes a field; the message names the field
   */
  public static Dag fromJson(String json) {
    return DagJsonReader.read(json);
  }

  /**
   * The DAG as it comes back from its JSON: tasks sorted by task_id, upstream lists and tags sorted
   * without duplicates, numbers as Integer/Long/BigInteger/Double. Two DAGs have the same JSON
   * exactly when their canonical forms are equal.
   */
  public static Dag canonical(Dag dag) {
    return fromJson(toJson(dag));
  }

  static String sha256(String json) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(json.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static String dagJson(Dag dag) {
    Map<String, Object> m = new HashMap<>();
    m.put("dag_id", dag.dagId());
    m.put("description", dag.description());
    m.put("schedule", schedule(dag.schedule()));
    m.put("timezone", dag.timezone().getId());
    m.put("start_date", instant(dag.startDate()));
    m.put("end_date", instant(dag.endDate()));
    m.put("catchup", dag.catchup());
    m.put("max_active_runs", dag.maxActiveRuns());
    m.put("max_active_tasks", dag.maxActiveTasks());
    m.put("dagrun_timeout", duration(dag.dagrunTimeout()));
    m.put("tags", sortedSet(dag.tags()));
    m.put("params", dag.params());
    List<Task> tasks = new ArrayList<>(dag.tasks());
    tasks.sort(Comparator.comparing(Task::taskId));
    List<Object> taskJson = new ArrayList<>();
    for (Task t : tasks) {
      taskJson.add(new CanonicalJson.Raw(taskJson(t)));
    }
    m.put("tasks", taskJson);
    // Written only when set, so a DAG without callbacks keeps the hash it had before they existed.
    if (!dag.callbacks().isEmpty()) {
      m.put("callbacks", callbacks(dag.callbacks()));
    }
    if (dag.deadline() != null) {
      Deadline d = dag.deadline();
      Map<String, Object> dm = new HashMap<>();
      dm.put("reference", d.reference().id());
      dm.put("interval", duration(d.interval()));
      dm.put("callback", notifiers(d.callback()));
      m.put("deadline", dm);
    }
    return write(m, "");
  }

  private static String taskJson(Task t) {
    Map<String, Object> m = new HashMap<>();
    m.put("task_id", t.taskId());
    m.put("operator", t.operator());
    m.put("args", t.args());
    m.put("upstream", sortedSet(t.upstream()));
    m.put("trigger_rule", t.triggerRule().id());
    m.put("retries", t.retries());
    m.put("retry_delay", duration(t.retryDelay()));
    m.put("retry_exponential_backoff", t.retryExponentialBackoff());
    m.put("max_retry_delay", duration(t.maxRetryDelay()));
    m.put("execution_timeout", duration(t.executionTimeout()));
    m.put("pool", t.pool());
    m.put("pool_slots", t.poolSlots());
    m.put("priority_weight", t.priorityWeight());
    m.put("weight_rule", t.weightRule().id());
    m.put("queue", t.queue());
    m.put("max_active_tis_per_dag", t.maxActiveTisPerDag());
    m.put("depends_on_past", t.dependsOnPast());
    m.put("wait_for_downstream", t.waitForDownstream());
    m.put("start_date", instant(t.startDate()));
    m.put("end_date", instant(t.endDate()));
    m.put("env", t.env());
    m.put("owner", t.owner());
    m.put("doc", t.doc());
    if (!t.callbacks().isEmpty()) {
      m.put("callbacks", callbacks(t.callbacks()));
    }
    if (!t.outlets().isEmpty()) {
      // Only when there are some: a task without outlets serializes as before assets existed, so
      // its DAG keeps its hash (and its version) across the upgrade.
      m.put("outlets", new ArrayList<>(t.outlets()));
    }
    if (!t.executorConfig().isEmpty()) {
      // Likewise only when set: a task without it keeps its DAG's hash.
      m.put("executor_config", t.executorConfig());
    }
    return write(m, "tasks[" + t.taskId() + "]");
  }

  private static Map<String, Object> callbacks(Callbacks c) {
    Map<String, Object> m = new HashMap<>();
    c.byEvent().forEach((event, list) -> m.put(event, notifiers(list)));
    return m;
  }

  private static List<Object> notifiers(List<Notifier> list) {
    return new ArrayList<>(list.stream().map(Notifier::toMap).toList());
  }

  private static Map<String, Object> schedule(Schedule s) {
    Map<String, Object> m = new HashMap<>();
    String type;
    String expression = null;
    boolean trigger = false;
    switch (s) {
      case Schedule.Manual x -> type = ScheduleType.NONE;
      case Schedule.Once x -> type = ScheduleType.ONCE;
      case Schedule.Continuous x -> type = ScheduleType.CONTINUOUS;
      case Schedule.Cron c -> {
        type = ScheduleType.CRON;
        expression = c.expression();
        trigger = c.trigger();
      }
      case Schedule.Delta d -> {
        type = ScheduleType.DELTA;
        expression = d.interval().toString();
      }
    }
    m.put("type", type);
    m.put("text", s.text());
    m.put("expression", expression);
    m.put("trigger", trigger);
    return m;
  }

  /** The ids of the schedule types, as written under {@code schedule.type}. */
  static final class ScheduleType {
    static final String NONE = "none";
    static final String ONCE = "once";
    static final String CONTINUOUS = "continuous";
    static final String CRON = "cron";
    static final String DELTA = "delta";

    private ScheduleType() {}
  }

  private static String write(Map<String, Object> m, String path) {
    StringBuilder out = new StringBuilder();
    CanonicalJson.write(out, m, path);
    return out.toString();
  }

  private static List<String> sortedSet(List<String> values) {
    return List.copyOf(new TreeSet<>(values));
  }

  private static String instant(Instant i) {
    return i == null ? null : i.toString();
  }

  private static String duration(Duration d) {
    return d == null ? null : d.toString();
  }
}
