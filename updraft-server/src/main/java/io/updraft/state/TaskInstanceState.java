package io.updraft.state;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The state of one task instance (one task in one DAG run), as Airflow 2.10 names them.
 *
 * <p>{@link #NONE} is the state of a task instance that was created (or cleared) and not yet
 * scheduled. Airflow stores it as SQL {@code NULL}, not as a string; its id here is {@code "none"}
 * (what Airflow's REST API and UI show). The store should map {@code NULL <-> NONE} and never write
 * the text {@code "none"}; {@link #fromId} accepts both {@code null} and {@code "none"} for that
 * reason.
 */
public enum TaskInstanceState {
  NONE,
  SCHEDULED,
  QUEUED,
  RUNNING,
  SUCCESS,
  FAILED,
  UP_FOR_RETRY,
  UP_FOR_RESCHEDULE,
  UPSTREAM_FAILED,
  SKIPPED,
  DEFERRED,
  REMOVED,
  RESTARTING;

  private static final Set<TaskInstanceState> FINISHED =
      Collections.unmodifiableSet(EnumSet.of(SUCCESS, FAILED, SKIPPED, UPSTREAM_FAILED, REMOVED));
  private static final Set<TaskInstanceState> UNFINISHED =
      Collections.unmodifiableSet(EnumSet.complementOf(EnumSet.copyOf(FINISHED)));

  /** Airflow's name, e.g. {@code up_for_retry}; {@code none} for {@link #NONE}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The state with this id; {@code null} (SQL NULL) and {@code "none"} both mean {@link #NONE}. */
  public static Optional<TaskInstanceState> fromId(String id) {
    if (id == null) {
      return Optional.of(NONE);
    }
    return Arrays.stream(values()).filter(s -> s.id().equals(id)).findFirst();
  }

  /**
   * Airflow's {@code State.finished}: success, failed, skipped, upstream_failed, removed. A task
   * instance in one of these states counts as "done" for its downstream trigger rules.
   */
  public static Set<TaskInstanceState> finished() {
    return FINISHED;
  }

  /**
   * Airflow's {@code State.unfinished}: none, scheduled, queued, running, up_for_retry,
   * up_for_reschedule, deferred, restarting. A DAG run with any of these is not done.
   */
  public static Set<TaskInstanceState> unfinished() {
    return UNFINISHED;
  }

  public boolean isFinished() {
    return FINISHED.contains(this);
  }
}
