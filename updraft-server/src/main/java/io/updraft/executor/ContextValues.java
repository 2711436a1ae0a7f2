package io.updraft.executor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.UpdraftException;
import io.updraft.dag.Dag;
import io.updraft.store.DagRunRow;
import io.updraft.store.TaskInstanceRow;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The template context of one try (SPEC §1.3, Airflow's names) and the rendering of plain {@code {{
 * name }}} / {@code {{ params.key }}} lookups in it. Anything else inside {@code {{ }}} — filters,
 * calls such as {@code ti.xcom_pull(...)}, expressions — is refused with a clear error rather than
 * passed on unrendered; full Jinja rendering comes with the worker's template engine.
 */
final class ContextValues {
  private static final Pattern EXPRESSION = Pattern.compile("\\{\\{(.*?)}}", Pattern.DOTALL);
  private static final Pattern LOOKUP = Pattern.compile("\\s*([A-Za-z_][\\w.]*)\\s*");
  private static final DateTimeFormatter DS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter TS_NODASH =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

  private final Map<String, String> values;

  private ContextValues(Map<String, String> values) {
    this.values = values;
  }

  static ContextValues of(Dag dag, DagRunRow run, TaskInstanceRow ti) {
    Map<String, String> v = new LinkedHashMap<>();
    Instant logical = run.logicalDate() != null ? run.logicalDate() : run.runAfter();
    v.put("ds", DS.format(logical));
    v.put("ds_nodash", DS.format(logical).replace("-", ""));
    v.put("ts", iso(logical));
    v.put("ts_nodash", TS_NODASH.format(logical));
    v.put("logical_date", iso(logical));
    v.put("data_interval_start", iso(run.dataIntervalStart()));
    v.put("data_interval_end", iso(run.dataIntervalEnd()));
    v.put("run_id", run.runId());
    v.put("dag_run.run_id", run.runId());
    v.put("dag.dag_id", dag.dagId());
    v.put("ti.task_id", ti.taskId());
    v.put("ti.dag_id", ti.dagId());
    v.put("ti.run_id", ti.runId());
    v.put("ti.try_number", Integer.toString(ti.tryNumber()));
    Map<String, Object> params = new LinkedHashMap<>(dag.params());
    Map<String, Object> conf = conf(run.conf());
    params.putAll(conf); // Airflow 2: run conf overrides params of the same name
    params.forEach((k, val) -> v.put("params." + k, text(val)));
    conf.forEach((k, val) -> v.put("conf." + k, text(val)));
    return new ContextValues(v);
  }

  /** Renders a template string; throws with the task's context named when it cannot. */
  String render(String template) {
    Matcher m = EXPRESSION.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      Matcher name = LOOKUP.matcher(m.group(1));
      if (!name.matches()) {
        throw new UpdraftException(
            "template {{"
                + m.group(1)
                + "}} is not supported yet: only plain names such as"
                + " {{ ds }} or {{ params.table }} are rendered in this version");
      }
      String value = values.get(name.group(1));
      if (value == null) {
        throw new UpdraftException(
            "unknown template variable '" + name.group(1) + "' — use one of " + values.keySet());
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** Python's isoformat of a UTC instant, as Airflow renders {{ ts }}. */
  private static String iso(Instant t) {
    if (t == null) {
      return "None";
    }
    return io.updraft.scheduler.RunIds.isoformat(t);
  }

  private static String text(Object v) {
    return v == null ? "None" : v.toString();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> conf(String json) {
    if (json == null) {
      return Map.of();
    }
    try {
      return new ObjectMapper().readValue(json, Map.class);
    } catch (JsonProcessingException e) {
      throw new UpdraftException("the run's conf is not a JSON object: " + e.getOriginalMessage());
    }
  }
}
