package io.updraft.metrics;

import io.micrometer.core.instrument.Counter;
import io.updraft.state.TaskInstanceState;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Task instance outcomes: every end of a try (success, failed, up_for_retry, skipped) and every
 * instance the scheduler finishes without a try (upstream_failed, skipped, an {@code empty} task's
 * success), by DAG, task and state — Airflow's {@code ti.finish.<dag_id>.<task_id>.<state>}, with
 * {@code ti_successes} and {@code ti_failures} beside it.
 *
 * <p>Recorded inside the scheduler's and the executor's loops, so a counter is found by plain map
 * look-ups (no tag objects built per call); the label values are bounded by the DAGs' tasks, as in
 * Airflow.
 */
public final class TaskMetrics {
  private static final TaskInstanceState[] STATES = TaskInstanceState.values();

  private static final Counter SUCCESSES =
      Counter.builder("updraft.ti.successes")
          .description("Task instances that ended in success")
          .register(Metrics.registry());

  private static final Counter FAILURES =
      Counter.builder("updraft.ti.failures")
          .description("Tries that failed (up_for_retry or failed)")
          .register(Metrics.registry());

  /** dag_id → task_id → one counter per state, made on first use. */
  private static final ConcurrentMap<String, ConcurrentMap<String, Counter[]>> FINISHED =
      new ConcurrentHashMap<>();

  private TaskMetrics() {}

  /** A task instance of {@code dagId}.{@code taskId} reached {@code state} at the end of a try. */
  public static void finished(String dagId, String taskId, TaskInstanceState state) {
    Counter[] byState =
        FINISHED
            .computeIfAbsent(dagId, d -> new ConcurrentHashMap<>())
            .computeIfAbsent(taskId, t -> new Counter[STATES.length]);
    Counter c = byState[state.ordinal()];
    if (c == null) {
      // Two threads may both get here: the registry hands both the same counter.
      c =
          Counter.builder("updraft.ti.finish")
              .description(
                  "Task instances that reached a state at the end of a try, or without one")
              .tag("dag_id", dagId)
              .tag("task_id", taskId)
              .tag("state", state.id())
              .register(Metrics.registry());
      byState[state.ordinal()] = c;
    }
    c.increment();
    if (state == TaskInstanceState.SUCCESS) {
      SUCCESSES.increment();
    } else if (state == TaskInstanceState.FAILED || state == TaskInstanceState.UP_FOR_RETRY) {
      FAILURES.increment();
    }
  }
}
