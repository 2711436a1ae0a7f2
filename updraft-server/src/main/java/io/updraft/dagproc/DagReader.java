package io.updraft.dagproc;

import io.updraft.dag.CustomOperators;
import io.updraft.dag.Dag;
import io.updraft.dag.DagValidator;
import io.updraft.dag.DagValues;
import io.updraft.dag.Problem;
import io.updraft.dag.Schedule;
import io.updraft.dag.Suggestions;
import io.updraft.kubernetes.PodOverrides;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Reads one DAG from its YAML mapping: every key is checked for name and type, default_args are
 * applied, and the result is run through {@link DagValidator}. Every error is collected with the
 * position of the key whose value is wrong (or of the list item), so one pass reports them all.
 *
 * <p>When a value is wrong the reader records the error and carries on with the default (or a
 * placeholder task) so later checks still run; the validator's problems at a path already reported
 * are dropped, so one mistake gives one message.
 *
 * <p>This class reads the DAG-level keys; {@link TaskReader} reads the tasks and default_args,
 * {@link YamlFields} the typed values, {@link ReadErrors} collects the errors, and {@link
 * YamlPaths} turns a validator's path into a position in the file.
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
          "tasks",
          "on_success",
          "on_failure",
          "deadline");

  static final List<String> TASK_KEYS = DagValues.TASK_KEYS;

  /** The task keys default_args may set: all but the ones that identify or place a task. */
  static final List<String> DEFAULT_ARG_KEYS =
      TASK_KEYS.stream()
          .filter(k -> !Set.of("task_id", "operator", "upstream").contains(k))
          .toList();

  static final List<String> TIMETABLES = List.of("interval", "trigger");

  /** An error found in the DAG, with the path it concerns ("" when none). */
  record Err(Pos pos, String path, String message) {}

  /** The outcome: the DAG when it had no error, its dag_id (if readable) and where it is. */
  record Result(Optional<Dag> dag, String dagId, Pos dagIdPos, List<Err> errors) {}

  private final MappingNode root;
  private final ReadErrors errors = new ReadErrors();
  private final YamlFields yaml = new YamlFields(errors);
  private Map<String, NodeTuple> defaultArgNodes = Map.of();
  private ZoneId zone = DagValues.UTC;

  private DagReader(MappingNode root) {
    this.root = root;
  }

  static Result read(MappingNode root) {
    return new DagReader(root).read();
  }

  private Result read() {
    Map<String, NodeTuple> f = yaml.fields(root, "");
    if (f.containsKey("for_each")) {
      errors.error(
          f.get("for_each").getKeyNode(),
          "for_each",
          "for_each makes the whole file a template and cannot be used inside dags: — put the"
              + " template in a file of its own, with for_each at its top");
      f.remove("for_each");
    }
    yaml.unknownKeys(f, DAG_KEYS, "", "DAG");

    String dagId = yaml.text(f, "dag_id", "");
    Pos dagIdPos = f.containsKey("dag_id") ? Pos.of(f.get("dag_id").getKeyNode()) : Pos.of(root);
    if (dagId == null && !f.containsKey("dag_id")) {
      errors.error(root, "dag_id", "dag_id is missing — add dag_id: my_dag_name");
    }
    if (f.containsKey("timezone")) {
      zone = readZone(f.get("timezone"));
    }
    boolean trigger = readTimetable(f);
    Schedule schedule = readSchedule(f, trigger);
    TaskReader taskReader = new TaskReader(yaml, errors, zone);
    CallbackReader callbackReader = new CallbackReader(yaml, errors);

    Map<String, Object> defaults = new LinkedHashMap<>();
    if (f.containsKey("default_args") && !YamlFields.isNull(f.get("default_args"))) {
      NodeTuple t = f.get("default_args");
      if (t.getValueNode() instanceof MappingNode m) {
        defaultArgNodes = yaml.fields(m, "default_args.");
        yaml.unknownKeys(defaultArgNodes, DEFAULT_ARG_KEYS, "default_args.", "default_args");
        defaults = taskReader.taskValues(defaultArgNodes, "default_args.");
      } else {
        errors.error(t.getKeyNode(), "default_args", "default_args must be a map of task keys");
      }
    }

    Instant startDate = yaml.date(f, "start_date", "", zone);
    if (startDate == null && !f.containsKey("start_date")) {
      // As Airflow, a start_date in default_args also starts the DAG.
      startDate = (Instant) defaults.get("start_date");
    }
    Instant endDate = yaml.date(f, "end_date", "", zone);
    Integer maxActiveRuns = yaml.integer(f, "max_active_runs", "");
    if (maxActiveRuns == null) {
      // @continuous runs one at a time; defaulting to 1 spares users Airflow's error.
      maxActiveRuns = schedule instanceof Schedule.Continuous ? 1 : Dag.DEFAULT_MAX_ACTIVE_RUNS;
    }
    Integer maxActiveTasks = yaml.integer(f, "max_active_tasks", "");
    Boolean catchup = yaml.bool(f, "catchup", "");
    Dag dag =
        new Dag(
            dagId == null ? "" : dagId,
            yaml.text(f, "description", ""),
            schedule,
            zone,
            startDate,
            endDate,
            catchup != null && catchup,
            maxActiveRuns,
            maxActiveTasks == null ? Dag.DEFAULT_MAX_ACTIVE_TASKS : maxActiveTasks,
            yaml.duration(f, "dagrun_timeout", ""),
            yaml.stringList(f, "tags", ""),
            params(f),
            taskReader.tasks(f, defaults),
            callbackReader.dagCallbacks(f),
            callbackReader.deadline(f));

    List<Problem> problems = new ArrayList<>(DagValidator.validate(dag));
    problems.addAll(PodOverrides.problems(dag));
    for (Problem p : problems) {
      if (!errors.alreadyReported(p.path())) {
        errors.add(new Err(resolve(p.path()), p.path(), p.message()));
      }
    }
    for (int i = 0; i < dag.tasks().size(); i++) {
      String operator = dag.tasks().get(i).operator();
      String path = "tasks[" + i + "].operator";
      if (CustomOperators.isCustom(operator) && !errors.alreadyReported(path)) {
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
        errors.isEmpty() ? Optional.of(dag) : Optional.empty(), dagId, dagIdPos, errors.list());
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
      errors.error(t.getKeyNode(), "timezone", e.getMessage());
      return DagValues.UTC;
    }
  }

  private boolean readTimetable(Map<String, NodeTuple> f) {
    String tt = yaml.text(f, "timetable", "");
    if (tt == null) {
      return false;
    }
    if (!TIMETABLES.contains(tt)) {
      errors.error(
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
    if (trigger && !(schedule instanceof Schedule.Cron) && !errors.reportedAt("schedule")) {
      errors.error(
          f.get("timetable").getKeyNode(),
          "timetable",
          "timetable: trigger needs a cron schedule (5 fields or a preset such as @daily) — change"
              + " the schedule or remove timetable");
    }
    return schedule;
  }

  private Schedule readScheduleValue(NodeTuple t, boolean trigger) {
    if (t == null || YamlFields.isNull(t)) {
      return new Schedule.Manual();
    }
    Node n = t.getValueNode();
    if (!(n instanceof ScalarNode s && Tag.STR.equals(s.getTag()))) {
      errors.error(
          t.getKeyNode(),
          "schedule",
          "schedule must be text, not " + YamlFields.describe(n) + DagValues.SCHEDULE_FORMS);
      return new Schedule.Once(); // a placeholder that still needs a start_date
    }
    try {
      Schedule schedule = DagValues.schedule(s.getValue());
      return trigger && schedule instanceof Schedule.Cron c
          ? Schedule.Cron.of(c.text(), true)
          : schedule;
    } catch (IllegalArgumentException e) {
      errors.error(t.getKeyNode(), "schedule", e.getMessage());
      return new Schedule.Once();
    }
  }

  private Map<String, Object> params(Map<String, NodeTuple> f) {
    NodeTuple t = f.get("params");
    if (t == null || YamlFields.isNull(t)) {
      return null;
    }
    if (!(t.getValueNode() instanceof MappingNode)) {
      errors.error(t.getKeyNode(), "params", "params must be a map of names to default values");
      return null;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> params =
        (Map<String, Object>) YamlValues.toJava(t.getValueNode(), errors.sink("params."));
    return params;
  }

  private Pos resolve(String path) {
    return new YamlPaths(root, defaultArgNodes).resolve(path);
  }
}
