package io.updraft.worker.operators;

import io.updraft.UpdraftException;

/**
 * A sensor's {@code timeout} passed without {@code soft_fail}: its try fails and, as Airflow's
 * AirflowSensorTimeout, is not retried ({@link io.updraft.worker.FailureKind#SENSOR_TIMEOUT}).
 */
public final class SensorTimedOut extends UpdraftException {
  public SensorTimedOut(String message) {
    super(message);
  }
}
