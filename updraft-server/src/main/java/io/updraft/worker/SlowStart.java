package io.updraft.worker;

import java.time.Duration;

/**
 * A test hook: the system property {@code updraft.test.slow-start} (a duration in milliseconds)
 * holds the first try of every task instance between its claim and its start, before any of its
 * heartbeats, as a worker or scheduler too loaded to start it would (decisions/0172). Unset in
 * production: then it costs one field read.
 */
public final class SlowStart {
  private static final Duration DELAY =
      Duration.ofMillis(Long.getLong("updraft.test.slow-start", 0L));

  private SlowStart() {}

  /** Sleeps the hook's delay when it is set and this is a first try. */
  public static void hold(int tryNumber) {
    if (DELAY.isZero() || tryNumber != 1) {
      return;
    }
    try {
      Thread.sleep(DELAY);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
