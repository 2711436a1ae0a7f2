package io.updraft.store;

import java.util.Locale;

/** The kinds of long-running processes that record heartbeats in {@code job}. */
public enum JobType {
  SCHEDULER,
  TRIGGERER,
  WORKER,
  DAG_PROCESSOR;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static JobType fromId(String id) {
    return valueOf(id.toUpperCase(Locale.ROOT));
  }
}
