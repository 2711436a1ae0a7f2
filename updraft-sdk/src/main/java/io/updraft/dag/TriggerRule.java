package io.updraft.dag;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** When a task may run given the states of its direct upstream tasks (Airflow's trigger rules). */
public enum TriggerRule {
  ALL_SUCCESS,
  ALL_FAILED,
  ALL_DONE,
  ALL_SKIPPED,
  ONE_SUCCESS,
  ONE_FAILED,
  ONE_DONE,
  NONE_FAILED,
  NONE_FAILED_MIN_ONE_SUCCESS,
  NONE_SKIPPED,
  ALWAYS;

  /** The name used in DAG files and JSON, e.g. {@code all_success}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<TriggerRule> fromId(String id) {
    return Arrays.stream(values()).filter(r -> r.id().equals(id)).findFirst();
  }
}
