package io.updraft.worker.template;

import io.updraft.worker.XComLookup;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the variables a template sees, with Airflow 2.10's names and formats ({@code
 * TaskInstance.get_template_context}): {@code ds}, {@code ds_nodash}, {@code ts}, {@code
 * ts_nodash}, {@code ts_nodash_with_tz}, {@code logical_date}, {@code data_interval_start}, {@code
 * data_interval_end}, {@code run_id}, {@code dag_run}, {@code ti} (also {@code task_instance}),
 * {@code task_instance_key_str}, {@code dag}, {@code task}, {@code params}, {@code conf}, {@code
 * var}, {@code macros} ({@code ds_add}, {@code ds_format}, {@code datetime}, {@code timedelta}),
 * and {@code prev_data_interval_start_success}, {@code prev_data_interval_end_success}, {@code
 * prev_start_date_success} (None when no earlier run of the DAG succeeded).
 *
 * <p>As in Airflow, {@code conf} is the configuration ({@code conf.get('core', 'parallelism')},
 * {@code conf.core.parallelism}), and the run's conf is {@code dag_run.conf} (and {@code params},
 * conf laid over the DAG's params). {@code var} and {@code conn} read the try's lookups when a
 * template names them ({@link SecretsContext}).
 */
public final class TemplateContext {

  private TemplateContext() {}

  public static Map<String, Object> of(TryContext c) {
    Map<String, Object> ctx = new LinkedHashMap<>();
    Instant logical = c.logicalDate();
    String ds = PyDates.ds(logical);
    String dsNodash = ds.replace("-", "");
    ctx.put("ds", ds);
    ctx.put("ds_nodash", dsNodash);
    ctx.put("ts", PyDates.ts(logical));
    ctx.put("ts_nodash", PyDates.tsNodash(logical));
    ctx.put("ts_nodash_with_tz", PyDates.tsNodashWithTz(logical));
    PyDateTime logicalDate = date(logical);
    PyDateTime start = date(c.dataInterval().start());
    PyDateTime end = date(c.dataInterval().end());
    ctx.put("logical_date", logicalDate);
    ctx.put("data_interval_start", start);
    ctx.put("data_interval_end", end);
    PreviousSuccess prev = c.previousSuccess();
    ctx.put("prev_data_interval_start_success", date(prev.dataIntervalStart()));
    ctx.put("prev_data_interval_end_success", date(prev.dataIntervalEnd()));
    ctx.put("prev_start_date_success", date(prev.startDate()));
    ctx.put("run_id", c.runId());
    ctx.put("task_instance_key_str", c.dagId() + "__" + c.taskId() + "__" + dsNodash);

    Map<String, Object> run = new LinkedHashMap<>();
    run.put("dag_id", c.dagId());
    run.put("run_id", c.runId());
    run.put("run_type", runType(c.runId()));
    run.put("logical_date", logicalDate);
    run.put("execution_date", logicalDate);
    run.put("data_interval_start", start);
    run.put("data_interval_end", end);
    run.put("conf", c.conf());
    run.put("external_trigger", "manual".equals(runType(c.runId())));
    ctx.put("dag_run", new TemplateObject("dag_run", run, Map.of(), c.runId()));

    Map<String, Object> tiAttrs = new LinkedHashMap<>();
    tiAttrs.put("dag_id", c.dagId());
    tiAttrs.put("task_id", c.taskId());
    tiAttrs.put("run_id", c.runId());
    tiAttrs.put("try_number", c.tryNumber());
    tiAttrs.put("map_index", -1);
    TemplateObject ti =
        new TemplateObject(
            "ti",
            tiAttrs,
            Map.of("xcom_pull", (args, kwargs) -> xcomPull(c, args, kwargs)),
            "<TaskInstance: " + c.dagId() + "." + c.taskId() + " " + c.runId() + ">");
    ctx.put("ti", ti);
    ctx.put("task_instance", ti);
    ctx.put("dag", new TemplateObject("dag", Map.of("dag_id", c.dagId()), Map.of(), c.dagId()));
    Map<String, Object> task = new LinkedHashMap<>();
    task.put("task_id", c.taskId());
    task.put("operator", c.operator());
    task.put("owner", c.owner());
    ctx.put("task", new TemplateObject("task", task, Map.of(), c.taskId()));

    ctx.put("params", params(c.dagParams(), c.conf()));
    ctx.put("conf", configuration(c.configuration()));
    ctx.put("var", SecretsContext.var(c.variables()));
    ctx.put("conn", SecretsContext.conn(c.connections()));
    ctx.put("macros", MACROS);
    return ctx;
  }

  /**
   * Airflow 2.10 ({@code core.dag_run_conf_overrides_params = True}, its default): the DAG's
   * params, then every key of the run's conf on top, including keys the DAG does not declare.
   */
  public static Map<String, Object> params(
      Map<String, Object> dagParams, Map<String, Object> conf) {
    Map<String, Object> params = new LinkedHashMap<>(dagParams);
    params.putAll(conf);
    return params;
  }

  /**
   * Airflow's {@code conf} object: {@code get(section, key[, fallback])}, {@code getint}, {@code
   * getboolean}, {@code has_option}, and each section as an attribute ({@code conf.core.x}).
   */
  private static TemplateObject configuration(Map<String, Map<String, String>> sections) {
    Map<String, TemplateFunction> methods = new LinkedHashMap<>();
    methods.put("get", (args, kwargs) -> setting(sections, args, kwargs));
    methods.put(
        "getint",
        (args, kwargs) -> {
          Object v = setting(sections, args, kwargs);
          return v instanceof String text ? toLong(text, "the setting") : v;
        });
    methods.put(
        "getboolean",
        (args, kwargs) -> {
          Object v = setting(sections, args, kwargs);
          if (!(v instanceof String text)) {
            return v;
          }
          return switch (text.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "t", "1", "yes", "on" -> true;
            case "false", "f", "0", "no", "off" -> false;
            default ->
                throw new IllegalArgumentException("the setting '" + text + "' is not a boolean");
          };
        });
    methods.put(
        "has_option",
        (args, kwargs) -> {
          String section = String.valueOf(arg(args, kwargs, 0, "section"));
          String key = String.valueOf(arg(args, kwargs, 1, "key"));
          return sections
              .getOrDefault(section.toLowerCase(java.util.Locale.ROOT), Map.of())
              .containsKey(key.toLowerCase(java.util.Locale.ROOT));
        });
    Map<String, Object> attrs = new LinkedHashMap<>(sections);
    return new TemplateObject("conf", attrs, methods, "<configuration>");
  }

  /** {@code conf.get(section, key, fallback=...)}: the setting's text, or the fallback. */
  private static Object setting(
      Map<String, Map<String, String>> sections, List<Object> args, Map<String, Object> kwargs) {
    String section = String.valueOf(arg(args, kwargs, 0, "section"));
    String key = String.valueOf(arg(args, kwargs, 1, "key"));
    String value =
        sections
            .getOrDefault(section.toLowerCase(java.util.Locale.ROOT), Map.of())
            .get(key.toLowerCase(java.util.Locale.ROOT));
    if (value != null) {
      return value;
    }
    if (args.size() > 2 || kwargs.containsKey("fallback")) {
      return args.size() > 2 ? args.get(2) : kwargs.get("fallback");
    }
    throw new IllegalArgumentException(
        "no setting "
            + section
            + "."
            + key
            + " — 'updraft config list' shows the settings; the run's conf is dag_run.conf");
  }

  private static String runType(String runId) {
    int sep = runId.indexOf("__");
    String prefix = sep < 0 ? "" : runId.substring(0, sep);
    return Set.of("scheduled", "manual", "backfill", "dataset_triggered").contains(prefix)
        ? prefix
        : "manual";
  }

  /** A date as templates see it (pendulum-like, prints like pendulum 3); null stays null. */
  static PyDateTime date(Instant at) {
    return at == null ? null : PyDateTime.utc(at);
  }

  private static final TemplateObject MACROS =
      new TemplateObject(
          "macros",
          Map.of(),
          Map.of(
              "ds_add",
              TemplateContext::dsAdd,
              "ds_format",
              TemplateContext::dsFormat,
              "datetime",
              PyDateTime::naive,
              "timedelta",
              PyTimedelta::of),
          "<macros>");

  /** {@code macros.ds_add(ds, days)}: a YYYY-MM-DD date moved by a number of days. */
  private static Object dsAdd(List<Object> args, Map<String, Object> kwargs) {
    Object ds = arg(args, kwargs, 0, "ds");
    Object days = arg(args, kwargs, 1, "days");
    long n = toLong(days, "days");
    ZonedDateTime d = PyDates.strptime(String.valueOf(ds), "%Y-%m-%d");
    return n == 0 ? String.valueOf(ds) : PyDates.strftime(d.plusDays(n), "%Y-%m-%d");
  }

  /** {@code macros.ds_format(ds, input_format, output_format)}, with Python's directives. */
  private static Object dsFormat(List<Object> args, Map<String, Object> kwargs) {
    String ds = String.valueOf(arg(args, kwargs, 0, "ds"));
    String in = String.valueOf(arg(args, kwargs, 1, "input_format"));
    String out = String.valueOf(arg(args, kwargs, 2, "output_format"));
    return PyDates.strftime(PyDates.strptime(ds, in), out);
  }

  private static Object xcomPull(TryContext c, List<Object> args, Map<String, Object> kwargs) {
    Set<String> known =
        Set.of("task_ids", "dag_id", "key", "default", "include_prior_dates", "map_indexes");
    for (String k : kwargs.keySet()) {
      if (!known.contains(k)) {
        throw new IllegalArgumentException(
            "ti.xcom_pull() has no argument '" + k + "' — use task_ids, dag_id, key, default");
      }
    }
    Object taskIds = argOrNull(args, kwargs, 0, "task_ids");
    Object dagId = argOrNull(args, kwargs, 1, "dag_id");
    Object key = argOrNull(args, kwargs, 2, "key");
    String dag = dagId == null ? c.dagId() : String.valueOf(dagId);
    String k = key == null ? XComLookup.RETURN_VALUE : String.valueOf(key);
    if (taskIds == null) {
      throw new IllegalArgumentException(
          "ti.xcom_pull() needs task_ids — e.g. ti.xcom_pull(task_ids='extract')");
    }
    if (taskIds instanceof Collection<?> ids) {
      // Airflow returns the values found, leaving out task instances that pushed nothing.
      List<Object> values = new ArrayList<>();
      for (Object id : ids) {
        c.xcoms().pull(dag, c.runId(), String.valueOf(id), k).ifPresent(values::add);
      }
      return values;
    }
    return c.xcoms().pull(dag, c.runId(), String.valueOf(taskIds), k).orElse(kwargs.get("default"));
  }

  private static Object arg(List<Object> args, Map<String, Object> kwargs, int index, String name) {
    Object v = argOrNull(args, kwargs, index, name);
    if (v == null) {
      throw new IllegalArgumentException("missing argument '" + name + "'");
    }
    return v;
  }

  private static Object argOrNull(
      List<Object> args, Map<String, Object> kwargs, int index, String name) {
    if (index < args.size()) {
      return args.get(index);
    }
    return kwargs.get(name);
  }

  private static String stringArg(List<Object> args, int index, String name) {
    if (index >= args.size() || args.get(index) == null) {
      throw new IllegalArgumentException("missing argument '" + name + "'");
    }
    return String.valueOf(args.get(index));
  }

  private static long toLong(Object v, String name) {
    if (v instanceof Number n) {
      return n.longValue();
    }
    try {
      return Long.parseLong(String.valueOf(v).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, not '" + v + "'");
    }
  }
}
