package io.updraft.worker;

import java.util.List;

/** What a finished try asks of its downstream tasks, beyond its own state. */
public sealed interface Downstream {

  /** Nothing special: downstream tasks follow their trigger rules. */
  record Proceed() implements Downstream {}

  /**
   * {@code branch}: follow only these direct downstream task_ids; skip the other direct downstream
   * tasks (Airflow's {@code skip_all_except}). An empty list skips them all.
   */
  record Follow(List<String> taskIds) implements Downstream {
    public Follow {
      taskIds = List.copyOf(taskIds);
    }
  }

  /**
   * {@code short_circuit} whose condition was false: skip every downstream task, regardless of
   * trigger rules (Airflow's default {@code ignore_downstream_trigger_rules=True}).
   */
  record SkipAll() implements Downstream {}

  Downstream PROCEED = new Proceed();
}
