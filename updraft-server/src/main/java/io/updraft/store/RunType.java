package io.updraft.store;

import java.util.Arrays;
import java.util.Locale;

/** Why a DAG run exists, stored as Airflow's {@code run_type} ids. */
public enum RunType {
  /** Created by the scheduler from the DAG's timetable. */
  SCHEDULED,
  /** Triggered by a user (CLI, REST API, UI). */
  MANUAL,
  /** Created by a backfill. */
  BACKFILL,
  /** Created because the datasets the DAG waits on were updated. */
  DATASET_TRIGGERED;

  /** Airflow's id, e.g. {@code dataset_triggered}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The run type with this id; a one-line error for an unknown one (a corrupt row). */
  public static RunType fromId(String id) {
    return Arrays.stream(values())
        .filter(t -> t.id().equals(id))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("unknown run_type '" + id + "' in dag_run"));
  }
}
