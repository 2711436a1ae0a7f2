package io.updraft.sdk;

import io.updraft.dag.DagValues;
import io.updraft.dag.DateValue;
import io.updraft.dag.TriggerRule;
import io.updraft.dag.WeightRule;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The common task keys of SPEC §1.2, settable on a task ({@link TaskBuilder}) and in a DAG's {@code
 * default_args} ({@link DefaultArgs}). Only the keys set here count: when the DAG is built, each
 * task key takes the task's value if the task set it, else the default_args value if that was set,
 * else the model default — as in Airflow, and as the YAML loader does.
 *
 * <p>Passing {@code null} to a setter unsets the key here (so default_args or the model default
 * apply), as {@code key: null} does in a DAG file. Durations are a {@link Duration} or the text
 * forms of {@link io.updraft.dag.Durations} ({@code 5m}, {@code PT5M}); dates are an {@link
 * Instant}, a {@link LocalDate} (midnight) or {@link LocalDateTime} in the DAG's time zone, or text
 * such as {@code 2024-01-01} or {@code 2024-01-01T06:00:00Z}. Bad values throw {@link
 * IllegalArgumentException} at the call.
 *
 * @param <B> the concrete builder, returned by every setter for chaining
 */
public abstract sealed class TaskArgs<B extends TaskArgs<B>> permits TaskBuilder, DefaultArgs {
  /** The keys set so far, by their DAG-file name, with typed values. */
  final Map<String, Object> values = new LinkedHashMap<>();

  TaskArgs() {}

  /** Where these values are, for error messages: {@code task load} or {@code default_args}. */
  abstract String where();

  @SuppressWarnings("unchecked")
  private B set(String key, Object value) {
    if (value == null) {
      values.remove(key);
    } else {
      values.put(key, value);
    }
    return (B) this;
  }

  private String key(String key) {
    return where() + ": " + key;
  }

  public B triggerRule(TriggerRule rule) {
    return set("trigger_rule", rule);
  }

  /** A trigger rule by its DAG-file id, e.g. {@code all_done}. */
  public B triggerRule(String id) {
    return triggerRule(
        id == null
            ? null
            : TriggerRule.fromId(id)
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            key("trigger_rule")
                                + " '"
                                + id
                                + "' is unknown — use one of "
                                + ids(TriggerRule.values()))));
  }

  /** How many times a failed try is retried (so {@code retries + 1} tries in all). */
  public B retries(int retries) {
    return set("retries", retries);
  }

  public B retryDelay(Duration delay) {
    return set("retry_delay", DagValues.duration(key("retry_delay"), delay));
  }

  public B retryDelay(String delay) {
    return set("retry_delay", DagValues.duration(key("retry_delay"), delay));
  }

  public B retryExponentialBackoff(boolean backoff) {
    return set("retry_exponential_backoff", backoff);
  }

  public B maxRetryDelay(Duration delay) {
    return set("max_retry_delay", DagValues.duration(key("max_retry_delay"), delay));
  }

  public B maxRetryDelay(String delay) {
    return set("max_retry_delay", DagValues.duration(key("max_retry_delay"), delay));
  }

  public B executionTimeout(Duration timeout) {
    return set("execution_timeout", DagValues.duration(key("execution_timeout"), timeout));
  }

  public B executionTimeout(String timeout) {
    return set("execution_timeout", DagValues.duration(key("execution_timeout"), timeout));
  }

  public B pool(String pool) {
    return set("pool", pool);
  }

  public B poolSlots(int slots) {
    return set("pool_slots", slots);
  }

  public B priorityWeight(int weight) {
    return set("priority_weight", weight);
  }

  public B weightRule(WeightRule rule) {
    return set("weight_rule", rule);
  }

  /** A weight rule by its DAG-file id: {@code downstream}, {@code upstream} or {@code absolute}. */
  public B weightRule(String id) {
    return weightRule(
        id == null
            ? null
            : WeightRule.fromId(id)
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            key("weight_rule")
                                + " '"
                                + id
                                + "' is unknown — use one of "
                                + ids(WeightRule.values()))));
  }

  public B queue(String queue) {
    return set("queue", queue);
  }

  /** At most this many tries of the task run at once across all runs of the DAG; null: no limit. */
  public B maxActiveTisPerDag(Integer max) {
    return set("max_active_tis_per_dag", max);
  }

  public B dependsOnPast(boolean dependsOnPast) {
    return set("depends_on_past", dependsOnPast);
  }

  /** Also wait for the direct downstream tasks of the previous run; implies depends_on_past. */
  public B waitForDownstream(boolean wait) {
    return set("wait_for_downstream", wait);
  }

  public B startDate(String date) {
    return set("start_date", DagValues.date(key("start_date"), date));
  }

  /** Midnight of that day in the DAG's time zone. */
  public B startDate(LocalDate date) {
    return set("start_date", date == null ? null : new DateValue.Local(date.atStartOfDay()));
  }

  /** That wall-clock time in the DAG's time zone. */
  public B startDate(LocalDateTime dateTime) {
    return set("start_date", dateTime == null ? null : new DateValue.Local(dateTime));
  }

  public B startDate(Instant instant) {
    return set("start_date", instant == null ? null : new DateValue.Exact(instant));
  }

  public B endDate(String date) {
    return set("end_date", DagValues.date(key("end_date"), date));
  }

  /** Midnight of that day in the DAG's time zone. */
  public B endDate(LocalDate date) {
    return set("end_date", date == null ? null : new DateValue.Local(date.atStartOfDay()));
  }

  /** That wall-clock time in the DAG's time zone. */
  public B endDate(LocalDateTime dateTime) {
    return set("end_date", dateTime == null ? null : new DateValue.Local(dateTime));
  }

  public B endDate(Instant instant) {
    return set("end_date", instant == null ? null : new DateValue.Exact(instant));
  }

  /**
   * The environment variables of the task's process, replacing any set before. A task that sets env
   * replaces the default_args env as a whole; the two are not merged (Airflow's rule).
   */
  public B env(Map<String, String> env) {
    if (env == null) {
      return set("env", null);
    }
    env.keySet().forEach(k -> Objects.requireNonNull(k, "env variable name"));
    return set("env", new LinkedHashMap<>(env));
  }

  /** Adds one environment variable (marking env as set here). */
  public B env(String name, String value) {
    Objects.requireNonNull(name, "env variable name");
    @SuppressWarnings("unchecked")
    Map<String, String> env =
        (Map<String, String>) values.computeIfAbsent("env", k -> new LinkedHashMap<>());
    env.put(name, value);
    return set("env", env);
  }

  public B owner(String owner) {
    return set("owner", owner);
  }

  /** Documentation shown with the task. */
  public B doc(String doc) {
    return set("doc", doc);
  }

  /**
   * The assets a successful try updates, by URI ({@code s3://bucket/key}, {@code
   * file:///data/x.csv} or a plain name), replacing any given before: each success records one
   * asset event per URI (SPEC §1.10). No URIs unsets the key.
   *
   * @throws IllegalArgumentException for a URI Airflow would refuse ({@link
   *     io.updraft.dag.AssetUris})
   */
  public B outlets(String... uris) {
    return outlets(java.util.Arrays.asList(uris));
  }

  /** As {@link #outlets(String...)}. */
  public B outlets(java.util.Collection<String> uris) {
    java.util.List<String> checked = new java.util.ArrayList<>();
    for (String uri : uris) {
      io.updraft.dag.AssetUris.problem(uri)
          .ifPresent(
              p -> {
                throw new IllegalArgumentException(key("outlets") + ": " + p);
              });
      checked.add(uri);
    }
    return set("outlets", checked.isEmpty() ? null : checked);
  }

  /**
   * Airflow's {@code executor_config} with its {@code pod_override}: a Kubernetes pod, as maps and
   * lists the way its YAML reads ({@code Map.of("spec", Map.of("containers", List.of(Map.of("name",
   * "base", "resources", ...)))))}), merged over the pod template when the kubernetes executor runs
   * this task; the other executors ignore it. The DAG processor checks it against the pod model.
   */
  public B podOverride(java.util.Map<String, Object> pod) {
    return set(
        "executor_config",
        pod == null || pod.isEmpty()
            ? null
            : java.util.Map.of(io.updraft.dag.Task.POD_OVERRIDE, pod));
  }

  private static String ids(Enum<?>[] values) {
    return String.join(
        ", ", Arrays.stream(values).map(v -> v.name().toLowerCase(java.util.Locale.ROOT)).toList());
  }

  /**
   * The notifiers of a callback event ({@code on_failure}, {@code on_success}, {@code on_retry},
   * {@code on_execute}, {@code on_skipped}), replacing any given before; see {@link
   * io.updraft.dag.Notifier} for the kinds. An empty list unsets the event.
   */
  public B callback(String event, io.updraft.dag.Notifier... notifiers) {
    if (!io.updraft.dag.Callbacks.TASK_EVENTS.contains(event)) {
      throw new IllegalArgumentException(
          key(event)
              + " is not a callback event — use one of "
              + io.updraft.dag.Callbacks.TASK_EVENTS);
    }
    return set(event, notifiers.length == 0 ? null : java.util.List.of(notifiers));
  }

  public B onFailure(io.updraft.dag.Notifier... notifiers) {
    return callback("on_failure", notifiers);
  }

  public B onSuccess(io.updraft.dag.Notifier... notifiers) {
    return callback("on_success", notifiers);
  }

  public B onRetry(io.updraft.dag.Notifier... notifiers) {
    return callback("on_retry", notifiers);
  }

  /** Airflow's {@code email}: the addresses mailed on failure and retry (unless turned off). */
  public B email(String... addresses) {
    return set("email", addresses.length == 0 ? null : java.util.List.of(addresses));
  }

  public B emailOnFailure(boolean on) {
    return set("email_on_failure", on);
  }

  public B emailOnRetry(boolean on) {
    return set("email_on_retry", on);
  }
}
