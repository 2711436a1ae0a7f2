package io.updraft.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.NamingConvention;
import io.micrometer.core.instrument.util.HierarchicalNameMapper;
import java.util.Map;
import java.util.function.Function;

/**
 * Airflow's StatsD names for Updraft's meters ({@code ti.finish.<dag_id>.<task_id>.<state>}, …),
 * under {@code metrics.statsd_prefix}, so dashboards built on Airflow's StatsD metrics keep
 * working. A meter without an Airflow name (the JVM's) is its own name with its tag values
 * appended. docs/metrics.md lists them side by side.
 */
final class StatsdNames implements HierarchicalNameMapper {
  private static final Map<String, Function<Meter.Id, String>> AIRFLOW =
      Map.ofEntries(
          Map.entry("updraft.scheduler.heartbeat", id -> "scheduler_heartbeat"),
          Map.entry("updraft.scheduler.loop.duration", id -> "scheduler.scheduler_loop_duration"),
          Map.entry(
              "updraft.dagrun.duration",
              id -> "dagrun.duration." + tag(id, "state") + "." + tag(id, "dag_id")),
          Map.entry(
              "updraft.dagrun.schedule.delay", id -> "dagrun.schedule_delay." + tag(id, "dag_id")),
          Map.entry(
              "updraft.ti.finish",
              id ->
                  "ti.finish."
                      + tag(id, "dag_id")
                      + "."
                      + tag(id, "task_id")
                      + "."
                      + tag(id, "state")),
          Map.entry("updraft.ti.successes", id -> "ti_successes"),
          Map.entry("updraft.ti.failures", id -> "ti_failures"),
          Map.entry("updraft.executor.open.slots", id -> "executor.open_slots"),
          Map.entry("updraft.executor.running.tasks", id -> "executor.running_tasks"),
          Map.entry("updraft.triggerer.capacity.left", id -> "triggerer.capacity_left"),
          Map.entry("updraft.triggerer.triggers.running", id -> "triggers.running"),
          Map.entry(
              "updraft.dag.processing.last.duration",
              id -> "dag_processing.last_duration." + fileStem(tag(id, "file"))),
          Map.entry(
              "updraft.dag.processing.total.parse.time", id -> "dag_processing.total_parse_time"));

  private final String prefix;

  /**
   * @param prefix {@code metrics.statsd_prefix}; empty for none
   */
  StatsdNames(String prefix) {
    this.prefix = prefix == null || prefix.isBlank() ? "" : prefix + ".";
  }

  @Override
  public String toHierarchicalName(Meter.Id id, NamingConvention convention) {
    Function<Meter.Id, String> airflow = AIRFLOW.get(id.getName());
    String name;
    if (airflow != null) {
      name = airflow.apply(id);
    } else {
      StringBuilder b = new StringBuilder(id.getName());
      id.getTagsAsIterable()
          .forEach(
              t -> {
                if (!t.getKey().equals("statistic")) {
                  b.append('.').append(t.getValue());
                }
              });
      name = b.toString();
    }
    return safe(prefix + name);
  }

  private static String tag(Meter.Id id, String key) {
    String v = id.getTag(key);
    return v == null ? "none" : v;
  }

  /** Airflow names a file's gauge by its name without folder and extension. */
  private static String fileStem(String file) {
    String name = file.substring(file.lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  /** A StatsD line is {@code name:value|type}: those characters and spaces cannot be in a name. */
  private static String safe(String name) {
    StringBuilder b = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      b.append(c == ':' || c == '|' || c == '@' || c == '#' || Character.isWhitespace(c) ? '_' : c);
    }
    return b.toString();
  }
}
