package io.updraft.bench;

/**
 * What the sensor scenarios read: the lines the children print when they are ready, and the queries
 * of the database that say how far they are.
 */
final class SensorScenarios {
  /** {@code updraft standalone} and {@code updraft scheduler} print it once the folder is read. */
  static final String SCHEDULER_READY = "DAGs in ";

  /** {@code updraft triggerer}'s banner. */
  static final String TRIGGERER_READY = "is running";

  /** Triggers a triggerer has claimed. */
  static final String HELD_TRIGGERS =
      "SELECT COUNT(*) FROM deferred_trigger WHERE triggerer_id IS NOT NULL";

  static final String DEFERRED = "SELECT COUNT(*) FROM task_instance WHERE state = 'deferred'";

  /** Task instances holding a worker or executor slot. */
  static final String SLOTS_HELD =
      "SELECT COUNT(*) FROM task_instance WHERE state IN ('queued', 'running')";

  /** The start date of one task instance of a DAG (any run: the DAGs here have one). */
  static final String START_OF =
      "SELECT MAX(start_date) AS d FROM task_instance WHERE dag_id = ? AND task_id = ?";

  /** The end date of one task instance of a DAG. */
  static final String END_OF =
      "SELECT MAX(end_date) AS d FROM task_instance WHERE dag_id = ? AND task_id = ?";

  private SensorScenarios() {}

  /** Deferred task instances of one DAG. */
  static String deferredOf(String dagId) {
    return DEFERRED + " AND dag_id = '" + dagId + "'";
  }
}
