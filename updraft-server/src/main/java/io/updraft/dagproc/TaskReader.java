package io.updraft.dagproc;

import io.updraft.dag.Task;
import io.updraft.dag.TriggerRule;
import io.updraft.dag.WeightRule;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads the tasks of a DAG file, and its default_args: each task key checked for type, default_args
 * applied under a task's own values, and the operator's own keys (all others) kept as its
 * arguments. A task that is not a map becomes a placeholder, so later tasks keep their index in
 * error paths.
 */
final class TaskReader {
  private final YamlFields yaml;
  private final ReadErrors errors;
  private final ZoneId zone;
  private final CallbackReader callbacks;

  /** {@code zone}: the DAG's time zone, for dates written without an offset. */
  TaskReader(YamlFields yaml, ReadErrors errors, ZoneId zone) {
    this.yaml = yaml;
    this.errors = errors;
    this.zone = zone;
    this.callbacks = new CallbackReader(yaml, errors);
  }

  List<Task> tasks(Map<String, NodeTuple> f, Map<String, Object> defaults) {
    NodeTuple t = f.get("tasks");
    if (t == null || YamlFields.isNull(t)) {
      return List.of();
    }
    if (!(t.getValueNode() instanceof SequenceNode seq)) {
      errors.error(
          t.getKeyNode(), "tasks", "tasks must be a list of tasks, each starting with - task_id:");
      return List.of();
    }
    List<Task> tasks = new ArrayList<>();
    for (int i = 0; i < seq.getValue().size(); i++) {
      Node item = seq.getValue().get(i);
      String at = "tasks[" + i + "]";
      if (item instanceof MappingNode m) {
        tasks.add(task(m, at, defaults));
      } else {
        errors.error(item, at, "a task must be a map with task_id and operator");
        tasks.add(Task.of("", "empty", null)); // keeps later tasks at their index
      }
    }
    return tasks;
  }

  private Task task(MappingNode m, String at, Map<String, Object> defaults) {
    String prefix = at + ".";
    Map<String, NodeTuple> f = yaml.fields(m, prefix);
    Map<String, Object> v = new LinkedHashMap<>(defaults);
    v.putAll(taskValues(f, prefix));
    String taskId = yaml.text(f, "task_id", prefix);
    if (!f.containsKey("task_id")) {
      errors.error(m, prefix + "task_id", "the task has no task_id — add task_id: my_task");
    }
    String operator = yaml.text(f, "operator", prefix);
    if (!f.containsKey("operator")) {
      errors.error(
          m,
          prefix + "operator",
          "task '"
              + (taskId == null ? "" : taskId)
              + "' has no operator — add operator: shell (or another built-in operator)");
    }
    Map<String, Object> args = new LinkedHashMap<>();
    for (Map.Entry<String, NodeTuple> e : f.entrySet()) {
      if (!DagReader.TASK_KEYS.contains(e.getKey())) {
        args.put(e.getKey(), YamlValues.toJava(e.getValue().getValueNode(), errors.sink(prefix)));
      }
    }
    @SuppressWarnings("unchecked")
    List<String> upstream = (List<String>) v.get("upstream");
    return Task.fromValues(
        taskId == null ? "" : taskId,
        operator == null ? "" : operator,
        args,
        upstream,
        v,
        (Instant) v.get("start_date"),
        (Instant) v.get("end_date"));
  }

  /**
   * The converted values of the common task keys present in {@code f} (a task or default_args).
   * Keys written as null or with a wrong value are left out, so the default applies.
   */
  Map<String, Object> taskValues(Map<String, NodeTuple> f, String prefix) {
    Map<String, Object> v = new LinkedHashMap<>();
    for (String key : f.keySet()) {
      Object value =
          switch (key) {
            case "upstream" -> upstream(f.get(key), prefix);
            case "trigger_rule" ->
                yaml.choice(
                    f,
                    key,
                    prefix,
                    Arrays.stream(TriggerRule.values()).map(TriggerRule::id).toList(),
                    id -> TriggerRule.fromId(id).orElseThrow());
            case "weight_rule" ->
                yaml.choice(
                    f,
                    key,
                    prefix,
                    Arrays.stream(WeightRule.values()).map(WeightRule::id).toList(),
                    id -> WeightRule.fromId(id).orElseThrow());
            case "retries", "pool_slots", "priority_weight", "max_active_tis_per_dag" ->
                yaml.integer(f, key, prefix);
            case "retry_delay", "max_retry_delay", "execution_timeout" ->
                yaml.duration(f, key, prefix);
            case "retry_exponential_backoff", "depends_on_past", "wait_for_downstream" ->
                yaml.bool(f, key, prefix);
            case "start_date", "end_date" -> yaml.date(f, key, prefix, zone);
            case "env" -> env(f.get(key), prefix);
            case "outlets" -> outlets(f.get(key), prefix);
            case "executor_config" -> executorConfig(f.get(key), prefix);
            case "pool", "queue", "owner", "doc" -> yaml.text(f, key, prefix);
            case "on_failure", "on_success", "on_retry", "on_execute", "on_skipped" ->
                callbacks.notifiers(f.get(key), prefix + key);
            case "email" -> callbacks.addresses(f.get(key), prefix + key);
            case "email_on_failure", "email_on_retry" -> yaml.bool(f, key, prefix);
            default -> null; // task_id, operator and operator keys are read by the caller
          };
      if (value != null) {
        v.put(key, value);
      }
    }
    return v;
  }

  private List<String> upstream(NodeTuple t, String prefix) {
    Node n = t.getValueNode();
    if (YamlValues.isNull(n)) {
      return null;
    }
    if (n instanceof ScalarNode s) {
      return List.of(s.getValue()); // a single upstream task may be written without a list
    }
    if (!(n instanceof SequenceNode seq)) {
      errors.error(t.getKeyNode(), prefix + "upstream", "upstream must be a list of task_ids");
      return null;
    }
    List<String> ids = new ArrayList<>();
    for (int k = 0; k < seq.getValue().size(); k++) {
      Node item = seq.getValue().get(k);
      if (item instanceof ScalarNode s && !YamlValues.isNull(s)) {
        ids.add(s.getValue());
      } else {
        errors.error(item, prefix + "upstream[" + k + "]", "an upstream entry must be a task_id");
        ids.add(""); // keeps later entries at their index
      }
    }
    return ids;
  }

  /**
   * A task's asset URIs: a list of text, or one URI without a list. Each is checked by {@link
   * io.updraft.dag.DagValidator} afterwards, with the other rules of a valid DAG.
   */
  private List<String> outlets(NodeTuple t, String prefix) {
    Node n = t.getValueNode();
    if (YamlValues.isNull(n)) {
      return null;
    }
    if (n instanceof ScalarNode s) {
      return List.of(s.getValue());
    }
    if (!(n instanceof SequenceNode seq)) {
      errors.error(
          t.getKeyNode(),
          prefix + "outlets",
          "outlets must be a list of asset URIs, e.g. [s3://bucket/orders.csv]");
      return null;
    }
    List<String> uris = new ArrayList<>();
    for (int k = 0; k < seq.getValue().size(); k++) {
      Node item = seq.getValue().get(k);
      if (item instanceof ScalarNode s && !YamlValues.isNull(s)) {
        uris.add(s.getValue());
      } else {
        errors.error(
            item,
            prefix + "outlets[" + k + "]",
            "an outlet must be an asset URI written as text, e.g. s3://bucket/orders.csv");
      }
    }
    return uris;
  }

  /**
   * A task's {@code executor_config}, as YAML gives it; its shape is checked with the other rules
   * of a valid DAG ({@link io.updraft.dag.DagValidator}), its pod against the Kubernetes pod model.
   */
  @SuppressWarnings("unchecked")
  private Map<String, Object> executorConfig(NodeTuple t, String prefix) {
    Node n = t.getValueNode();
    if (YamlValues.isNull(n)) {
      return null;
    }
    if (!(n instanceof MappingNode)) {
      errors.error(
          t.getKeyNode(),
          prefix + "executor_config",
          "executor_config must be a map, e.g. {pod_override: {spec: {...}}}");
      return null;
    }
    return (Map<String, Object>) YamlValues.toJava(n, errors.sink(prefix + "executor_config."));
  }

  private Map<String, String> env(NodeTuple t, String prefix) {
    Node n = t.getValueNode();
    if (YamlValues.isNull(n)) {
      return null;
    }
    if (!(n instanceof MappingNode m)) {
      errors.error(t.getKeyNode(), prefix + "env", "env must be a map of variable names to values");
      return null;
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (Map.Entry<String, NodeTuple> e : yaml.fields(m, prefix + "env.").entrySet()) {
      Node value = e.getValue().getValueNode();
      if (value instanceof ScalarNode s && !YamlValues.isNull(s)) {
        env.put(e.getKey(), s.getValue());
      } else {
        errors.error(
            e.getValue().getKeyNode(),
            prefix + "env." + e.getKey(),
            "environment variable " + e.getKey() + " must have a plain value (text or number)");
      }
    }
    return env;
  }
}
