package io.updraft.state;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The state of one DAG run, as Airflow 2.10 names them. */
public enum DagRunState {
  QUEUED,
  RUNNING,
  SUCCESS,
  FAILED;

  /** Airflow's name, e.g. {@code running}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<DagRunState> fromId(String id) {
    return Arrays.stream(values()).filter(s -> s.id().equals(id)).findFirst();
  }

  /** Airflow's {@code State.finished_dr_states}: success, failed. */
  public static Set<DagRunState> finished() {
    return Set.of(SUCCESS, FAILED);
  }

  /** Airflow's {@code State.unfinished_dr_states}: queued, running. */
  public static Set<DagRunState> unfinished() {
    return Set.of(QUEUED, RUNNING);
  }

  public boolean isFinished() {
    return this == SUCCESS || this == FAILED;
  }
}
