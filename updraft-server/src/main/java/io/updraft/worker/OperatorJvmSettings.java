package io.updraft.worker;

import java.time.Duration;

/**
 * How the worker keeps warm JVMs for custom operators (decisions/0140).
 *
 * @param reuse false: every try starts a JVM of its own, as before warm JVMs ({@code
 *     worker.operator_jvm_reuse})
 * @param idleTimeout an idle warm JVM is stopped after this ({@code
 *     worker.operator_jvm_idle_timeout})
 * @param perBundle at most this many warm JVMs are kept per code bundle; a try that finds them all
 *     busy gets a JVM that is stopped after it ({@code worker.operator_jvms_per_bundle})
 * @param loaderPerTry true: a new class loader per try, so the bundle's static fields start fresh;
 *     false: one per JVM, kept between tries
 */
public record OperatorJvmSettings(
    boolean reuse, Duration idleTimeout, int perBundle, boolean loaderPerTry) {

  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);
  public static final int DEFAULT_PER_BUNDLE = 4;

  public OperatorJvmSettings {
    if (idleTimeout == null || idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException(
          "idleTimeout must be a positive duration, not " + idleTimeout);
    }
    if (perBundle < 1) {
      throw new IllegalArgumentException("perBundle must be at least 1, not " + perBundle);
    }
  }

  /** Reused, 5 minutes idle, 4 per bundle, a class loader per try. */
  public static OperatorJvmSettings defaults() {
    return new OperatorJvmSettings(true, DEFAULT_IDLE_TIMEOUT, DEFAULT_PER_BUNDLE, true);
  }

  /** A JVM per try, none kept. */
  public static OperatorJvmSettings coldPerTry() {
    return new OperatorJvmSettings(false, DEFAULT_IDLE_TIMEOUT, DEFAULT_PER_BUNDLE, true);
  }
}
