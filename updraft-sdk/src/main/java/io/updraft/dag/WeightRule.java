package io.updraft.dag;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How a task's effective priority is computed from its own and its relatives' weights. */
public enum WeightRule {
  /** Own weight plus the weights of all tasks downstream of it (Airflow's default). */
  DOWNSTREAM,
  /** Own weight plus the weights of all tasks upstream of it. */
  UPSTREAM,
  /** Own weight only. */
  ABSOLUTE;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<WeightRule> fromId(String id) {
    return Arrays.stream(values()).filter(r -> r.id().equals(id)).findFirst();
  }
}
