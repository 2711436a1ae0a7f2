package io.updraft.dagproc;

import io.updraft.dag.CustomOperators;
import io.updraft.dag.Dag;
import io.updraft.dag.DagValidator;
import io.updraft.dag.DagValues;
import io.updraft.dag.Durations;
import io.updraft.dag.Problem;
import io.updraft.dag.Schedule;
import io.updraft.dag.Suggestions;
import io.updraft.dag.Task;
import io.updraft.dag.TriggerRule;
import io.updraft.dag.WeightRule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Reads one DAG from its YAML mapping: every key is checked for name and type, default_args are
 * applied, and the result is run through {@link DagValidator}. Every error is collected with the
 * position of the key whose value is wrong (or of the list item), so one pass reports them all.
 *
 * <p>When a value is wrong the reader records the error and carries on with the default (or a
 * placeholder task) so later checks still run; the validator's problems at a path already reported
 * are dropped, so one mistake gives one message.
 */
final class DagReader {
  static final List<String> DAG_KEYS =
      List.of(
          "dag_id",
          "description",
          "schedule",
          "timetable",
          "timezone",
          "start_date",
          "end_date",
          "catchup",
          "max_active_runs",
          "max_active_tasks",
          "dagrun_timeout",
          "tags",
          "params",
          "default_args",
          "tasks");

  static final List<String> TASK_KEYS = DagValues.TASK_KEYS;

  /** The task keys default_args may set: all but the ones that identify or place a task. */
  static final List<String> DEFAULT_ARG_KEYS =
      TASK_KEYS.stream()
          .filter(k -> !Set.of("task_id", "operator", "upstream").contains(k))
          .toList();

  static final List<String> TIMETABLES = List.of("interval", "trigger");

  private static final Pattern SEGMENT = Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)]");

  /** An error found in the DAG, with the path it concerns ("" when none). */
  record Err(Pos pos, String path, String message) {}

  /** The outcome: the DAG when it had no error, its dag_id (if readable) and where it is. */
  record Result(Optional<Dag> dag, String dagId, Pos dagIdPos, List<Err> errors) {}

  private final MappingNode root;
  private final List<Err> errors = new ArrayList<>();
  private final Set<String> reported = new HashSet<>();
  private Map<String, NodeTuple> defaultArgNodes = Map.of();
  private ZoneId zone = DagValues.UTC;

  private DagReader(MappingNode root) {
    this.root = root;
  }

  static Result read(MappingNode root) {
    return new DagReader(root).read();
  }

  private Result read() {
    Map<String, NodeTuple> f = fields(root, "");
    if (f.containsKey("for_each")) {
      error(
          f.get("for_each").getKeyNode(),
          "for_each",
          "for_each makes the whole file a template and cannot be used inside dags: — put the"
              + " template in a file of its own, with for_each at its top");
      f.remove("for_each");
    }
    unknownKeys(f, DAG_KEYS, "", "DAG");

    String dagId = text(f, "dag_id", "");
    Pos dagIdPos = f.containsKey("dag_id") ? Pos.of(f.get("dag_id").getKeyNode()) : Pos.of(root);
    if (dagId == null && !f.containsKey("dag_id")) {
      error(root, "dag_id", "dag_id is missing — add dag_id: my_dag_name");
    }
    if (f.containsKey("timezone")) {
      zone = readZone(f.get("timezone"));
    }
    boolean trigger = readTimetable(f);
    Schedule schedule = readSchedule(f, trigger);

    Map<String, Object> defaults = new LinkedHashMap<>();
    if (f.containsKey("default_args") && !isNull(f.get("default_args"))) {
      NodeTuple t = f.get("default_args");
      if (t.getValueNode() instanceof MappingNode m) {
        defaultArgNodes = fields(m, "default_args.");
        unknownKeys(defaultArgNodes, DEFAULT_ARG_KEYS, "default_args.", "default_args");
        defaults = taskValues(defaultArgNodes, "default_args.");
      } else {
        error(t.getKeyNode(), "default_args", "default_args must be a map of task keys");
      }
    }

    Instant startDate = date(f, "start_date", "");
    if (startDate == null && !f.containsKey("start_date")) {
      // As Airflow, a start_date in default_args also starts the DAG.
      startDate = (Instant) defaults.get("start_date");
    }
    Instant endDate = date(f, "end_date", "");
    Integer maxActiveRuns = integer(f, "max_active_runs", "");
    if (maxActiveRuns == null) {
      // @continuous runs one at a time; defaulting to 1 spares users Airflow's error.
      maxActiveRuns = schedule instanceof Schedule.Continuous ? 1 : Dag.DEFAULT_MAX_ACTIVE_RUNS;
    }
    Integer maxActiveTasks = integer(f, "max_active_tasks", "");
    Boolean catchup = bool(f, "catchup", "");
    Dag dag =
        new Dag(
            dagId == null ? "" : dagId,
            text(f, "description", ""),
            schedule,
            zone,
            startDate,
            endDate,
            catchup != null && catchup,
            maxActiveRuns,
            maxActiveTasks == null ? Dag.DEFAULT_MAX_ACTIVE_TASKS : maxActiveTasks,
            duration(f, "dagrun_timeout", ""),
            stringList(f, "tags", ""),
            params(f),
            tasks(f, defaults));

    for (Problem p : DagValidator.validate(dag)) {
      if (!alreadyReported(p.path())) {
        errors.add(new Err(resolve(p.path()), p.path(), p.message()));
      }
    }
    for (int i = 0; i < dag.tasks().size(); i++) {
      String operator = dag.tasks().get(i).operator();
      String path = "tasks[" + i + "].operator";
      if (CustomOperators.isCustom(operator) && !alreadyReported(path)) {
        errors.add(
            new Err(
                resolve(path),
                path,
                "operator '"
                    + operator
                    + "' is a Java class: custom operators are used by the Java DAG file or jar"
                    + " that defines them (SPEC §1.6) — define this DAG in Java, or use a built-in"
                    + " operator"));
      }
    }
    return new Result(
        errors.isEmpty() ? Optional.of(dag) : Optional.empty(), dagId, dagIdPos, errors);
  }

  // ---- tasks

  private List<Task> tasks(Map<String, NodeTuple> f, Map<String, Object> defaults) {
    NodeTuple t = f.get("tasks");
    if (t == null || isNull(t)) {
      return List.of();
    }
    if (!(t.getValueNode() instanceof SequenceNode seq)) {
      error(
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
        error(item, at, "a task must be a map with task_id and operator");
        tasks.add(Task.of("", "empty", null)); // keeps later tasks at their index
      }
    }
    return tasks;
  }

  private Task task(MappingNode m, String at, Map<String, Object> defaults) {
    String prefix = at + ".";
    Map<String, NodeTuple> f = fields(m, prefix);
    Map<String, Object> v = new LinkedHashMap<>(defaults);
    v.putAll(taskValues(f, prefix));
    String taskId = text(f, "task_id", prefix);
    if (!f.containsKey("task_id")) {
      error(m, prefix + "task_id", "the task has no task_id — add task_id: my_task");
    }
    String operator = text(f, "operator", prefix);
    if (!f.containsKey("operator")) {
      error(
          m,
          prefix + "operator",
          "task '"
              + (taskId == null ? "" : taskId)
              + "' has no operator — add operator: shell (or another built-in operator)");
    }
    Map<String, Object> args = new LinkedHashMap<>();
    for (Map.Entry<String, NodeTuple> e : f.entrySet()) {
      if (!TASK_KEYS.contains(e.getKey())) {
        args.put(e.getKey(), YamlValues.toJava(e.getValue().getValueNode(), sink(prefix)));
      }
    }
    @SuppressWarnings("unchecked")
    List<String> upstream = (List<String>) v.get("upstream");
    @SuppressWarnings("unchecked")
    Map<String, String> env = (Map<String, String>) v.get("env");
    return new Task(
        taskId == null ? "" : taskId,
        operator == null ? "" : operator,
        args,
        upstream,
        (TriggerRule) v.get("trigger_rule"),
        (Integer) v.getOrDefault("retries", Task.DEFAULT_RETRIES),
        (Duration) v.get("retry_delay"),
        (Boolean) v.getOrDefault("retry_exponential_backoff", false),
        (Duration) v.get("max_retry_delay"),
        (Duration) v.get("execution_timeout"),
        (String) v.get("pool"),
        (Integer) v.getOrDefault("pool_slots", 1),
        (Integer) v.getOrDefault("priority_weight", 1),
        (WeightRule) v.get("weight_rule"),
        (String) v.get("queue"),
        (Integer) v.get("max_active_tis_per_dag"),
        (Boolean) v.getOrDefault("depends_on_past", false),
        (Boolean) v.getOrDefault("wait_for_downstream", false),
        (Instant) v.get("start_date"),
        (Instant) v.get("end_date"),
        env,
        (String) v.get("owner"),
        (String) v.get("doc"));
  }

  /**
   * The converted values of the common task keys present in {@code f} (a task or default_args).
   * Keys written as null or with a wrong value are left out, so the default applies.
   */
  private Map<String, Object> taskValues(Map<String, NodeTuple> f, String prefix) {
    Map<String, Object> v = new LinkedHashMap<>();
    for (String key : f.keySet()) {
      Object value =
          switch (key) {
            case "upstream" -> upstream(f.get(key), prefix);
            case "trigger_rule" ->
                choice(
                    f,
                    key,
                    prefix,
                    Arrays.stream(TriggerRule.values()).map(TriggerRule::id).toList(),
                    id -> TriggerRule.fromId(id).orElseThrow());
            case "weight_rule" ->
                choice(
                    f,
                    key,
                    prefix,
                    Arrays.stream(WeightRule.values()).map(WeightRule::id).toList(),
                    id -> WeightRule.fromId(id).orElseThrow());
            case "retries", "pool_slots", "priority_weight", "max_active_tis_per_dag" ->
                integer(f, key, prefix);
            case "retry_delay", "max_retry_delay", "execution_timeout" -> duration(f, key, prefix);
            case "retry_exponential_backoff", "depends_on_past", "wait_for_downstream" ->
                bool(f, key, prefix);
            case "start_date", "end_date" -> date(f, key, prefix);
            case "env" -> env(f.get(key), prefix);
            case "pool", "queue", "owner", "doc" -> text(f, key, prefix);
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
      error(t.getKeyNode(), prefix + "upstream", "upstream must be a list of task_ids");
      return null;
    }
    List<String> ids = new ArrayList<>();
    for (int k = 0; k < seq.getValue().size(); k++) {
      Node item = seq.getValue().get(k);
      if (item instanceof ScalarNode s && !YamlValues.isNull(s)) {
        ids.add(s.getValue());
      } else {
        error(item, prefix + "upstream[" + k + "]", "an upstream entry must be a task_id");
        ids.add(""); // keeps later entries at their index
      }
    }
    return ids;
  }

  private Map<String, String> env(NodeTuple t, String prefix) {
    Node n = t.getValueNode();
    if (YamlValues.isNull(n)) {
      return null;
    }
    if (!(n instanceof MappingNode m)) {
      error(t.getKeyNode(), prefix + "env", "env must be a map of variable names to values");
      return null;
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (Map.Entry<String, NodeTuple> e : fields(m, prefix + "env.").entrySet()) {
      Node value = e.getValue().getValueNode();
      if (value instanceof ScalarNode s && !YamlValues.isNull(s)) {
        env.put(e.getKey(), s.getValue());
      } else {
        error(
            e.getValue().getKeyNode(),
            prefix + "env." + e.getKey(),
            "environment variable " + e.getKey() + " must have a plain value (text or number)");
      }
    }
    return env;
  }

  // ---- DAG-level values

  private ZoneId readZone(NodeTuple t) {
    Node n = t.getValueNode();
    if (YamlValues.isNull(n)) {
      return DagValues.UTC;
    }
    try {
      return DagValues.zone(n instanceof ScalarNode s ? s.getValue() : "");
    } catch (IllegalArgumentException e) {
      error(t.getKeyNode(), "timezone", e.getMessage());
      return DagValues.UTC;
    }
  }

  private boolean readTimetable(Map<String, NodeTuple> f) {
    String tt = text(f, "timetable", "");
    if (tt == null) {
      return false;
    }
    if (!TIMETABLES.contains(tt)) {
      error(
          f.get("timetable").getKeyNode(),
          "timetable",
          "unknown timetable '"
              + tt
              + "' — use interval (the default: data-interval runs) or trigger (runs at the cron"
              + " time)"
              + Suggestions.didYouMean(tt, TIMETABLES, "; "));
      return false;
    }
    return tt.equals("trigger");
  }

  private Schedule readSchedule(Map<String, NodeTuple> f, boolean trigger) {
    NodeTuple t = f.get("schedule");
    Schedule schedule = readScheduleValue(t, trigger);
    if (trigger && !(schedule instanceof Schedule.Cron) && !reported.contains("schedule")) {
      error(
          f.get("timetable").getKeyNode(),
          "timetable",
          "timetable: trigger needs a cron schedule (5 fields or a preset such as @daily) — change"
              + " the schedule or remove timetable");
    }
    return schedule;
  }

  private Schedule readScheduleValue(NodeTuple t, boolean trigger) {
    if (t == null || isNull(t)) {
      return new Schedule.Manual();
    }
    Node n = t.getValueNode();
    if (!(n instanceof ScalarNode s && Tag.STR.equals(s.getTag()))) {
      error(
          t.getKeyNode(),
          "schedule",
          "schedule must be text, not " + describe(n) + DagValues.SCHEDULE_FORMS);
      return new Schedule.Once(); // a placeholder that still needs a start_date
    }
    try {
      Schedule schedule = DagValues.schedule(s.getValue());
      return trigger && schedule instanceof Schedule.Cron c
          ? Schedule.Cron.of(c.text(), true)
          : schedule;
    } catch (IllegalArgumentException e) {
      error(t.getKeyNode(), "schedule", e.getMessage());
      return new Schedule.Once();
    }
  }

  private Map<String, Object> params(Map<String, NodeTuple> f) {
    NodeTuple t = f.get("params");
    if (t == null || isNull(t)) {
      return null;
    }
    if (!(t.getValueNode() instanceof MappingNode)) {
      error(t.getKeyNode(), "params", "params must be a map of names to default values");
      return null;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> params =
        (Map<String, Object>) YamlValues.toJava(t.getValueNode(), sink("params."));
    return params;
  }

  private List<String> stringList(Map<String, NodeTuple> f, String key, String prefix) {
    NodeTuple t = f.get(key);
    if (t == null || isNull(t)) {
      return null;
    }
    if (!(t.getValueNode() instanceof SequenceNode seq)) {
      error(t.getKeyNode(), prefix + key, key + " must be a list, e.g. [a, b]");
      return null;
    }
    List<String> out = new ArrayList<>();
    for (int k = 0; k < seq.getValue().size(); k++) {
      Node item = seq.getValue().get(k);
      if (item instanceof ScalarNode s && !YamlValues.isNull(s)) {
        out.add(s.getValue());
      } else {
        error(item, prefix + key + "[" + k + "]", "each of " + key + " must be plain text");
      }
    }
    return out;
  }

  // ---- typed scalar readers: null when absent, written as null, or wrong (then reported)

  private String text(Map<String, NodeTuple> f, String key, String prefix) {
    NodeTuple t = f.get(key);
    if (t == null || isNull(t)) {
      return null;
    }
    if (t.getValueNode() instanceof ScalarNode s) {
      return s.getValue();
    }
    error(t.getKeyNode(), prefix + key, key + " must be text, not " + describe(t.getValueNode()));
    return null;
  }

  private Integer integer(Map<String, NodeTuple> f, String key, String prefix) {
    NodeTuple t = f.get(key);
    if (t == null || isNull(t)) {
      return null;
    }
    if (t.getValueNode() instanceof ScalarNode s && Tag.INT.equals(s.getTag())) {
      Object v = YamlValues.scalar(s);
      if (v instanceof Integer i) {
        return i;
      }
    }
    error(
        t.getKeyNode(),
        prefix + key,
        key + " must be a whole number, not " + describe(t.getValueNode()));
    return null;
  }

  private Boolean bool(Map<String, NodeTuple> f, String key, String prefix) {
    NodeTuple t = f.get(key);
    if (t == null || isNull(t)) {
      return null;
    }
    if (t.getValueNode() instanceof ScalarNode s && Tag.BOOL.equals(s.getTag())) {
      return (Boolean) YamlValues.scalar(s);
    }
    error(
        t.getKeyNode(),
        prefix + key,
        key + " must be true or false, not " + describe(t.getValueNode()));
    return null;
  }

  private Duration duration(Map<String, NodeTuple> f, String key, String prefix) {
    NodeTuple t = f.get(key);
    if (t == null || isNull(t)) {
      return null;
    }
    Node n = t.getValueNode();
    if (n instanceof ScalarNode s && Tag.STR.equals(s.getTag())) {
      try {
        return DagValues.duration(key, s.getValue());
      } catch (IllegalArgumentException e) {
        // reported below, showing the value as YAML read it
      }
    }
    error(
        t.getKeyNode(),
        prefix + key,
        key + " " + describe(n) + " is not a duration — " + Durations.FORMS);
    return null;
  }

  private <T> T choice(
      Map<String, NodeTuple> f,
      String key,
      String prefix,
      List<String> ids,
      java.util.function.Function<String, T> of) {
    String text = text(f, key, prefix);
    if (text == null) {
      return null;
    }
    if (!ids.contains(text)) {
      error(
          f.get(key).getKeyNode(),
          prefix + key,
          "unknown "
              + key
              + " '"
              + text
              + "' — use one of "
              + String.join(", ", ids)
              + Suggestions.didYouMean(text, ids, "; "));
      return null;
    }
    return of.apply(text);
  }

  /** A date or date-time; without an offset it is local time in the DAG's time zone. */
  private Instant date(Map<String, NodeTuple> f, String key, String prefix) {
    NodeTuple t = f.get(key);
    if (t == null || isNull(t)) {
      return null;
    }
    Node n = t.getValueNode();
    if (n instanceof ScalarNode s) {
      try {
        return DagValues.date(key, s.getValue()).in(zone);
      } catch (IllegalArgumentException e) {
        // reported below, showing the value as YAML read it
      }
    }
    error(
        t.getKeyNode(),
        prefix + key,
        key + " " + describe(n) + " is not a date — " + DagValues.DATE_FORMS);
    return null;
  }

  // ---- maps, keys, errors

  /** The entries of a map by key, reporting duplicate and non-text keys. */
  private Map<String, NodeTuple> fields(MappingNode m, String prefix) {
    Map<String, NodeTuple> out = new LinkedHashMap<>();
    for (NodeTuple t : m.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode key) || YamlValues.isNull(key)) {
        error(t.getKeyNode(), prefix, "a key must be plain text — fix it");
        continue;
      }
      if (out.containsKey(key.getValue())) {
        error(key, prefix + key.getValue(), YamlValues.duplicateKey(key.getValue()));
        continue;
      }
      out.put(key.getValue(), t);
    }
    return out;
  }

  private void unknownKeys(
      Map<String, NodeTuple> f, List<String> known, String prefix, String where) {
    for (Map.Entry<String, NodeTuple> e : f.entrySet()) {
      if (!known.contains(e.getKey())) {
        String hint = Suggestions.didYouMean(e.getKey(), known, " — ");
        error(
            e.getValue().getKeyNode(),
            prefix + e.getKey(),
            "unknown key '"
                + e.getKey()
                + "' in "
                + where
                + (hint.isEmpty() ? " — known keys are " + String.join(", ", known) : hint));
      }
    }
  }

  private YamlValues.Sink sink(String prefix) {
    return (node, message) -> error(node, prefix, message);
  }

  private static boolean isNull(NodeTuple t) {
    return YamlValues.isNull(t.getValueNode());
  }

  private static String describe(Node n) {
    if (n instanceof MappingNode) {
      return "a map";
    }
    if (n instanceof SequenceNode) {
      return "a list";
    }
    ScalarNode s = (ScalarNode) n;
    return Tag.STR.equals(s.getTag()) ? "'" + s.getValue() + "'" : s.getValue();
  }

  private void error(Node node, String path, String message) {
    errors.add(new Err(Pos.of(node), path, message));
    reported.add(path);
  }

  private boolean alreadyReported(String path) {
    for (String r : reported) {
      if (!r.isEmpty()
          && (path.equals(r) || path.startsWith(r + ".") || path.startsWith(r + "["))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The position a validator path points at: the key of a map entry, the item of a list. A task key
   * the task does not set points at default_args, where its value came from; a path that leads
   * nowhere points at the deepest node found, or at the DAG's dag_id.
   */
  Pos resolve(String path) {
    Node current = root;
    Node best = null;
    List<Object> segments = segments(path);
    for (int s = 0; s < segments.size(); s++) {
      Object seg = segments.get(s);
      if (seg instanceof Integer idx) {
        if (!(current instanceof SequenceNode seq) || idx >= seq.getValue().size()) {
          break;
        }
        current = seq.getValue().get(idx);
        best = current;
      } else {
        if (!(current instanceof MappingNode m)) {
          break;
        }
        String name = (String) seg;
        NodeTuple t = find(m, name);
        boolean inTask = s == 2 && "tasks".equals(segments.get(0));
        if (t == null && inTask) {
          t = defaultArgNodes.get(name);
        }
        if (t == null) {
          break;
        }
        best = t.getKeyNode();
        current = t.getValueNode();
      }
    }
    if (best != null) {
      return Pos.of(best);
    }
    NodeTuple dagId = find(root, "dag_id");
    return dagId == null ? Pos.of(root) : Pos.of(dagId.getKeyNode());
  }

  private static NodeTuple find(MappingNode m, String key) {
    for (NodeTuple t : m.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode s && s.getValue().equals(key)) {
        return t;
      }
    }
    return null;
  }

  private static List<Object> segments(String path) {
    List<Object> out = new ArrayList<>();
    Matcher m = SEGMENT.matcher(path);
    while (m.find()) {
      out.add(m.group(1) != null ? m.group(1) : (Object) Integer.parseInt(m.group(2)));
    }
    return out;
  }
}
