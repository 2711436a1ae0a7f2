package io.updraft.sensors;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * When a sensor checks next: every {@code poke_interval}, or with {@code exponential_backoff} an
 * interval that doubles per check, with jitter, capped (Airflow's BaseSensorOperator semantics).
 *
 * <p>With backoff, the wait after the n-th check is drawn from {@code [b, 2b)} where {@code b =
 * max(poke_interval × 2^(n-2), 1 s)}: half an interval to one after the first check, one to two
 * after the second, and so on — Airflow's {@code _get_next_poke_interval}, whose jitter comes from
 * a hash where this takes a random source. Airflow caps it only by the time left to the timeout
 * (and an optional {@code max_wait}); here it is also capped by {@link #MAX_WAIT} (one day) so a
 * seven-day timeout does not mean a check every few days. Callers cap it further by the time left
 * (docs/decisions/0076).
 */
public final class PokeSchedule {

  /** The longest wait between two checks with backoff. */
  public static final Duration MAX_WAIT = Duration.ofDays(1);

  private PokeSchedule() {}

  /**
   * The wait after the {@code checksDone}-th check (1 after the first).
   *
   * @param random the jitter's source (tests pass a seeded one)
   */
  public static Duration delayAfter(SensorSpec spec, int checksDone, RandomGenerator random) {
    if (!spec.exponentialBackoff()) {
      return spec.pokeInterval();
    }
    Duration cap = spec.timeout().compareTo(MAX_WAIT) < 0 ? spec.timeout() : MAX_WAIT;
    long base = base(spec, checksDone);
    if (base >= cap.toMillis()) {
      return cap;
    }
    long delay = base + random.nextLong(base);
    return Duration.ofMillis(Math.min(delay, cap.toMillis()));
  }

  /**
   * How many checks a sensor with backoff made in {@code elapsed} since its first, counting the
   * shortest wait each time: a {@code reschedule} sensor does not keep a count across its tries, so
   * it estimates it as Airflow does from the time since the first check.
   */
  public static int checksWithin(SensorSpec spec, Duration elapsed) {
    if (!spec.exponentialBackoff()) {
      return (int)
          Math.min(Integer.MAX_VALUE, 1 + elapsed.toMillis() / spec.pokeInterval().toMillis());
    }
    long total = 0;
    int n = 1;
    while (n < 64) {
      total += base(spec, n);
      if (total > elapsed.toMillis()) {
        return n;
      }
      n++;
    }
    return n;
  }

  /** {@code max(poke_interval × 2^(n-2), 1 s)} in milliseconds, without overflow. */
  private static long base(SensorSpec spec, int checksDone) {
    long interval = spec.pokeInterval().toMillis();
    int shift = checksDone - 2;
    long b;
    if (shift < 0) {
      b = interval >> Math.min(-shift, 62);
    } else if (shift >= 62 || interval > (Long.MAX_VALUE >> shift)) {
      b = Long.MAX_VALUE / 2;
    } else {
      b = interval << shift;
    }
    return Math.max(b, 1000);
  }
}
