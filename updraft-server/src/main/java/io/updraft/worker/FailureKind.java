package io.updraft.worker;

/** Why a try did not succeed; lets the supervisor decide about retries without parsing messages. */
public enum FailureKind {
  /** The try succeeded or was skipped. */
  NONE,
  /** The process exited with a code that is neither 0 nor the skip code. */
  EXIT_CODE,
  /** {@code execution_timeout} passed; the process tree was killed. */
  TIMED_OUT,
  /** The try was cancelled from outside; the process tree was killed. */
  CANCELLED,
  /** An operator argument could not be rendered. */
  TEMPLATE,
  /** The try could not start: missing {@code cwd}, bash not found, log not writable, ... */
  SETUP,
  /** The operator's output was not usable (a branch naming tasks that are not downstream). */
  BAD_OUTPUT,
  /** The return value is larger than {@code core.max_xcom_size}. */
  XCOM_TOO_LARGE,
  /** A custom operator threw, or its JVM ended before it returned. */
  EXCEPTION,
  /**
   * An in-JVM operator failed: unknown connection, unreachable host, unexpected HTTP status, SQL
   * error, refused mail, a triggered run that failed.
   */
  OPERATOR,
  /**
   * A sensor's {@code timeout} passed: the task fails without a retry, as Airflow's
   * AirflowSensorTimeout (a retry would wait the same wait again).
   */
  SENSOR_TIMEOUT,
  /** The operator is not implemented by this worker yet. */
  UNSUPPORTED_OPERATOR
}
