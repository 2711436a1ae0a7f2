package io.updraft.sensors;

import java.util.Collection;
import java.util.Map;

/**
 * The states of other DAGs' runs and tasks, looked up for many {@code external_task} conditions at
 * once: the triggerer answers all the conditions due in one round with one query, so 10,000 sensors
 * waiting on one run cost one query per round, not 10,000.
 */
@FunctionalInterface
public interface ExternalStates {

  /** What the database says of one condition's target. */
  record Answer(boolean dagKnown, boolean runExists, String state) {
    /** The DAG is not stored (a typo, or not parsed yet). */
    public static final Answer UNKNOWN_DAG = new Answer(false, false, null);

    /** The DAG is stored but has no such run yet. */
    public static final Answer NO_RUN = new Answer(true, false, null);

    /** The run exists; {@code state} is the task's (null: none yet) or the run's. */
    public static Answer of(String state) {
      return new Answer(true, true, state);
    }
  }

  /** An answer for every condition given (the same instance as the key). */
  Map<Condition.ExternalTask, Answer> states(Collection<Condition.ExternalTask> conditions);
}
