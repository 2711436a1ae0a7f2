package io.updraft.dag;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One task of a DAG, with {@code default_args} already applied: every value here is the effective
 * one. Operator-specific keys ({@code command}, {@code url}, ...) are in {@link #args}.
 *
 * @param upstream the task_ids of the direct upstream tasks, as written
 * @param args the operator's own keys and values (strings, numbers, booleans, lists, maps)
 * @param maxRetryDelay null: no cap but Airflow's 24 h
 * @param executionTimeout null: no timeout
 * @param maxActiveTisPerDag null: no limit
 * @param startDate null: the DAG's
 * @param endDate null: the DAG's
 * @param callbacks the notifiers of its on_failure, on_success, ... callbacks ({@link
 *     Callbacks#NONE}: none)
 * @param outlets the URIs of the assets a successful try updates (SPEC §1.10), each once, in the
 *     order written; empty: none
 * @param executorConfig what the executor that runs it should do differently for this task, as
 *     Airflow's {@code executor_config}: {@code pod_override} (a Kubernetes pod merged over the pod
 *     template, used by the kubernetes executor, ignored by the others); empty: nothing
 */
public record Task(
    String taskId,
    String operator,
    Map<String, Object> args,
    List<String> upstream,
    TriggerRule triggerRule,
    int retries,
    Duration retryDelay,
    boolean retryExponentialBackoff,
    Duration maxRetryDelay,
    Duration executionTimeout,
    String pool,
    int poolSlots,
    int priorityWeight,
    WeightRule weightRule,
    String queue,
    Integer maxActiveTisPerDag,
    boolean dependsOnPast,
    boolean waitForDownstream,
    Instant startDate,
    Instant endDate,
    Map<String, String> env,
    String owner,
    String doc,
    Callbacks callbacks,
    List<String> outlets,
    Map<String, Object> executorConfig) {

  public static final int DEFAULT_RETRIES = 0;
  public static final Duration DEFAULT_RETRY_DELAY = Duration.ofMinutes(5);
  public static final String DEFAULT_POOL = "default_pool";
  public static final String DEFAULT_QUEUE = "default";
  public static final String DEFAULT_OWNER = "updraft";

  /** The key of {@code executor_config} the kubernetes executor reads. */
  public static final String POD_OVERRIDE = "pod_override";

  public Task {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(operator, "operator");
    args = frozen(args);
    upstream = upstream == null ? List.of() : List.copyOf(upstream);
    triggerRule = triggerRule == null ? TriggerRule.ALL_SUCCESS : triggerRule;
    retryDelay = retryDelay == null ? DEFAULT_RETRY_DELAY : retryDelay;
    pool = pool == null ? DEFAULT_POOL : pool;
    weightRule = weightRule == null ? WeightRule.DOWNSTREAM : weightRule;
    queue = queue == null ? DEFAULT_QUEUE : queue;
    // As in Airflow: waiting for the downstream of the previous run implies depending on it.
    dependsOnPast = dependsOnPast || waitForDownstream;
    env = env == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(env));
    owner = owner == null ? DEFAULT_OWNER : owner;
    callbacks = callbacks == null ? Callbacks.NONE : callbacks;
    outlets =
        outlets == null || outlets.isEmpty()
            ? List.of()
            : List.copyOf(new java.util.LinkedHashSet<>(outlets));
    executorConfig = frozen(executorConfig);
  }

  /** A task without executor_config (the form before the kubernetes executor existed). */
  public Task(
      String taskId,
      String operator,
      Map<String, Object> args,
      List<String> upstream,
      TriggerRule triggerRule,
      int retries,
      Duration retryDelay,
      boolean retryExponentialBackoff,
      Duration maxRetryDelay,
      Duration executionTimeout,
      String pool,
      int poolSlots,
      int priorityWeight,
      WeightRule weightRule,
      String queue,
      Integer maxActiveTisPerDag,
      boolean dependsOnPast,
      boolean waitForDownstream,
      Instant startDate,
      Instant endDate,
      Map<String, String> env,
      String owner,
      String doc,
      Callbacks callbacks,
      List<String> outlets) {
    this(
        taskId,
        operator,
        args,
        upstream,
        triggerRule,
        retries,
        retryDelay,
        retryExponentialBackoff,
        maxRetryDelay,
        executionTimeout,
        pool,
        poolSlots,
        priorityWeight,
        weightRule,
        queue,
        maxActiveTisPerDag,
        dependsOnPast,
        waitForDownstream,
        startDate,
        endDate,
        env,
        owner,
        doc,
        callbacks,
        outlets,
        Map.of());
  }

  /** A task without outlets (the form before assets existed). */
  public Task(
      String taskId,
      String operator,
      Map<String, Object> args,
      List<String> upstream,
      TriggerRule triggerRule,
      int retries,
      Duration retryDelay,
      boolean retryExponentialBackoff,
      Duration maxRetryDelay,
      Duration executionTimeout,
      String pool,
      int poolSlots,
      int priorityWeight,
      WeightRule weightRule,
      String queue,
      Integer maxActiveTisPerDag,
      boolean dependsOnPast,
      boolean waitForDownstream,
      Instant startDate,
      Instant endDate,
      Map<String, String> env,
      String owner,
      String doc,
      Callbacks callbacks) {
    this(
        taskId,
        operator,
        args,
        upstream,
        triggerRule,
        retries,
        retryDelay,
        retryExponentialBackoff,
        maxRetryDelay,
        executionTimeout,
        pool,
        poolSlots,
        priorityWeight,
        weightRule,
        queue,
        maxActiveTisPerDag,
        dependsOnPast,
        waitForDownstream,
        startDate,
        endDate,
        env,
        owner,
        doc,
        callbacks,
        List.of());
  }

  /** A task without callbacks (the form before callbacks existed). */
  public Task(
      String taskId,
      String operator,
      Map<String, Object> args,
      List<String> upstream,
      TriggerRule triggerRule,
      int retries,
      Duration retryDelay,
      boolean retryExponentialBackoff,
      Duration maxRetryDelay,
      Duration executionTimeout,
      String pool,
      int poolSlots,
      int priorityWeight,
      WeightRule weightRule,
      String queue,
      Integer maxActiveTisPerDag,
      boolean dependsOnPast,
      boolean waitForDownstream,
      Instant startDate,
      Instant endDate,
      Map<String, String> env,
      String owner,
      String doc) {
    this(
        taskId,
        operator,
        args,
        upstream,
        triggerRule,
        retries,
        retryDelay,
        retryExponentialBackoff,
        maxRetryDelay,
        executionTimeout,
        pool,
        poolSlots,
        priorityWeight,
        weightRule,
        queue,
        maxActiveTisPerDag,
        dependsOnPast,
        waitForDownstream,
        startDate,
        endDate,
        env,
        owner,
        doc,
        Callbacks.NONE);
  }

  /**
   * A task from the values of its common keys by their DAG-file names ({@code retries}, {@code
   * pool}, {@code on_failure}...), already converted to their types, as the YAML reader and the
   * Java builder collect them; a key that is absent takes its default. Dates come apart because the
   * two readers place local dates differently.
   */
  @SuppressWarnings("unchecked")
  public static Task fromValues(
      String taskId,
      String operator,
      Map<String, Object> args,
      List<String> upstream,
      Map<String, Object> v,
      Instant startDate,
      Instant endDate) {
    return new Task(
        taskId,
        operator,
        args,
        upstream,
        (TriggerRule) v.get("trigger_rule"),
        (Integer) v.getOrDefault("retries", DEFAULT_RETRIES),
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
        startDate,
        endDate,
        (Map<String, String>) v.get("env"),
        (String) v.get("owner"),
        (String) v.get("doc"),
        Callbacks.forTask(v),
        (List<String>) v.get("outlets"),
        (Map<String, Object>) v.get("executor_config"));
  }

  /** A task with every optional value at its default. */
  public static Task of(String taskId, String operator, Map<String, Object> args) {
    return new Task(
        taskId,
        operator,
        args,
        List.of(),
        null,
        DEFAULT_RETRIES,
        null,
        false,
        null,
        null,
        null,
        1,
        1,
        null,
        null,
        null,
        false,
        false,
        null,
        null,
        null,
        null,
        null);
  }

  /**
   * The {@code executor_config.pod_override} of this task (a Kubernetes pod, as YAML reads it), or
   * an empty map.
   */
  @SuppressWarnings("unchecked")
  public Map<String, Object> podOverride() {
    return executorConfig.get(POD_OVERRIDE) instanceof Map<?, ?> m
        ? (Map<String, Object>) m
        : Map.of();
  }

  /** The value of an operator key, or null. */
  public Object arg(String key) {
    return args.get(key);
  }

  /** The same task with other direct upstream tasks. */
  public Task withUpstream(List<String> newUpstream) {
    return with(operator, newUpstream, callbacks);
  }

  /** The same task run by another operator (a custom operator pinned to its bundle). */
  public Task withOperator(String newOperator) {
    return with(newOperator, upstream, callbacks);
  }

  private Task with(String newOperator, List<String> newUpstream, Callbacks newCallbacks) {
    return new Task(
        taskId,
        newOperator,
        args,
        newUpstream,
        triggerRule,
        retries,
        retryDelay,
        retryExponentialBackoff,
        maxRetryDelay,
        executionTimeout,
        pool,
        poolSlots,
        priorityWeight,
        weightRule,
        queue,
        maxActiveTisPerDag,
        dependsOnPast,
        waitForDownstream,
        startDate,
        endDate,
        env,
        owner,
        doc,
        newCallbacks,
        outlets,
        executorConfig);
  }

  /** The same task with other callbacks. */
  public Task withCallbacks(Callbacks newCallbacks) {
    return with(operator, upstream, newCallbacks);
  }

  static Map<String, Object> frozen(Map<String, Object> map) {
    // Values may be null or nested (YAML), so Map.copyOf will not do.
    return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }
}
