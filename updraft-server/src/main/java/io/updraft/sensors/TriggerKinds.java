package io.updraft.sensors;

/**
 * What a {@code deferred_trigger} row's {@code classpath} column says it holds (Airflow keeps a
 * trigger class's path there; Updraft has a few kinds of its own).
 */
public final class TriggerKinds {

  /**
   * A {@code defer} sensor the scheduler deferred: kwargs {@code {}}. The triggerer reads the task
   * from the run's DAG version and renders its arguments itself, with the try's context.
   */
  public static final String SENSOR = "sensor";

  /**
   * A wait a running try handed over ({@code trigger_dag}'s {@code wait_for_completion}): kwargs
   * are a rendered {@link SensorSpec} as JSON ({@link SensorSpec#toJson}).
   */
  public static final String SPEC = "spec";

  private TriggerKinds() {}
}
