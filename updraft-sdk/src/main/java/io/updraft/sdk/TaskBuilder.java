package io.updraft.sdk;

import io.updraft.dag.DagValues;
import io.updraft.dag.DateValue;
import io.updraft.dag.Task;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One task being written: its id, operator, the operator's own keys ({@link #arg}), its upstream
 * tasks and any common task keys ({@link TaskArgs}). Made by {@link Tasks}; added to a DAG with
 * {@link DagBuilder#task}, which applies the DAG's default_args and time zone when it builds.
 */
public final class TaskBuilder extends TaskArgs<TaskBuilder> {
  /** Keys that are not operator args: the common task keys and the task's identity. */
  static final Set<String> COMMON_KEYS = Set.copyOf(DagValues.TASK_KEYS);

  private final String taskId;
  private final String operator;
  private final Map<String, Object> args = new LinkedHashMap<>();
  private final List<String> upstream = new ArrayList<>();

  TaskBuilder(String taskId, String operator) {
    if (taskId == null) {
      throw new IllegalArgumentException("a task needs a task_id, e.g. Tasks.shell(\"load\", ...)");
    }
    if (operator == null) {
      throw new IllegalArgumentException(
          "task " + taskId + " needs an operator, e.g. shell or the name of a custom operator");
    }
    this.taskId = taskId;
    this.operator = operator;
  }

  @Override
  String where() {
    return "task " + taskId;
  }

  public String taskId() {
    return taskId;
  }

  public String operator() {
    return operator;
  }

  /**
   * Sets one of the operator's own keys, e.g. {@code arg("cwd", "/data")} for shell. The value is
   * text, a number, a boolean, null, or a list or map of those (copied now).
   *
   * @throws IllegalArgumentException for a common task key (use its setter, e.g. {@link #retries})
   *     or a value a DAG file could not hold
   */
  public TaskBuilder arg(String key, Object value) {
    Objects.requireNonNull(key, "arg key");
    if (key.equals("task_id") || key.equals("operator")) {
      throw new IllegalArgumentException(
          where() + ": " + key + " is given to Tasks.task(taskId, operator), not as an arg");
    }
    if (COMMON_KEYS.contains(key)) {
      throw new IllegalArgumentException(
          where()
              + ": "
              + key
              + " is a common task key, not an operator arg — use its own setter, e.g. ."
              + camel(key)
              + "(...)");
    }
    args.put(key, JsonValues.copy(where() + ": " + key, value));
    return this;
  }

  /** Sets several operator keys, as {@link #arg} each. */
  public TaskBuilder args(Map<String, ?> values) {
    values.forEach(this::arg);
    return this;
  }

  /** The task_ids of the tasks this one runs after, replacing any given before. */
  public TaskBuilder upstream(String... taskIds) {
    return upstream(List.of(taskIds));
  }

  /** The task_ids of the tasks this one runs after, replacing any given before. */
  public TaskBuilder upstream(Collection<String> taskIds) {
    upstream.clear();
    for (String id : taskIds) {
      upstream.add(Objects.requireNonNull(id, "upstream task_id"));
    }
    return this;
  }

  /**
   * The model task: this task's keys over the defaults over the model's defaults; local dates
   * placed in {@code zone}.
   */
  Task build(Map<String, Object> defaults, ZoneId zone) {
    Map<String, Object> v = new LinkedHashMap<>(defaults);
    v.putAll(values);
    return Task.fromValues(
        taskId,
        operator,
        args,
        upstream,
        v,
        date(v.get("start_date"), zone),
        date(v.get("end_date"), zone));
  }

  static java.time.Instant date(Object value, ZoneId zone) {
    return value == null ? null : ((DateValue) value).in(zone);
  }

  @SuppressWarnings("unchecked")
  static Object copyValue(Object v) {
    return v instanceof Map<?, ?> m ? new LinkedHashMap<>((Map<String, String>) m) : v;
  }

  private static String camel(String snake) {
    StringBuilder out = new StringBuilder();
    boolean up = false;
    for (char c : snake.toCharArray()) {
      if (c == '_') {
        up = true;
      } else {
        out.append(up ? Character.toUpperCase(c) : c);
        up = false;
      }
    }
    return out.toString();
  }
}
