package io.updraft.worker;

import java.util.Optional;

/**
 * Reads XComs pushed by earlier task instances. The worker core has no database code: the store
 * implements this later; tests use an in-memory map.
 */
@FunctionalInterface
public interface XComLookup {

  /** Airflow's default XCom key, under which a task's return value is stored. */
  String RETURN_VALUE = "return_value";

  /** The value of one XCom, or empty when that task instance pushed nothing under that key. */
  Optional<Object> pull(String dagId, String runId, String taskId, String key);

  /** A lookup that finds nothing. */
  static XComLookup none() {
    return (dagId, runId, taskId, key) -> Optional.empty();
  }
}
