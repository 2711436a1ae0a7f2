package io.updraft.sdk;

import io.updraft.UpdraftException;

/**
 * Thrown by an {@link Operator} to end its try as skipped rather than failed (Airflow's
 * AirflowSkipException): downstream tasks then follow their trigger rules for a skipped upstream.
 */
public class SkipTaskException extends UpdraftException {
  public SkipTaskException(String reason) {
    super(reason);
  }
}
