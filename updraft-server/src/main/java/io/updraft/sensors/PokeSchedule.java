package io.updraft.sensors;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * When a sensor checks next: every {@code poke_interval}, or with {@code exponential_backoff} an
 * interval that doubles per check, with jitter, capped (Airflow's BaseSensorOperator semantics).
 */
public final class PokeSchedule {
  private PokeSchedule() {}

  /**
   * The wait after the {@code checksDone}-th check (1 after the first).
   *
   * @param random the jitter's source (tests pass a seeded one)
   */
  public static Duration delayAfter(SensorSpec spec, int checksDone, RandomGenerator random) {
    throw new UnsupportedOperationException("written by the sensors helper");
  }
}
