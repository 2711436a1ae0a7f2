package io.updraft.sensors;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Airflow's backoff: [b, 2b) with b = interval × 2^(n-2), at least 1 s, capped. */
class PokeScheduleTest {

  static SensorSpec spec(Duration interval, boolean backoff, Duration timeout) {
    return new SensorSpec(
        SensorMode.POKE, interval, backoff, timeout, false, List.of(new Condition.File("/x")));
  }

  @Test
  void withoutBackoffEveryInterval() {
    SensorSpec s = spec(Duration.ofSeconds(30), false, Duration.ofHours(1));
    SplittableRandom r = new SplittableRandom(1);
    for (int n = 1; n < 10; n++) {
      assertThat(PokeSchedule.delayAfter(s, n, r)).isEqualTo(Duration.ofSeconds(30));
    }
  }

  @Test
  void backoffDoublesWithJitterWithinItsBand() {
    SensorSpec s = spec(Duration.ofSeconds(60), true, Duration.ofDays(7));
    SplittableRandom r = new SplittableRandom(42);
    long[] bases = {30, 60, 120, 240, 480};
    for (int n = 1; n <= bases.length; n++) {
      Duration d = PokeSchedule.delayAfter(s, n, r);
      assertThat(d.toMillis())
          .as("after check %d", n)
          .isBetween(bases[n - 1] * 1000, bases[n - 1] * 2000 - 1);
    }
  }

  @Test
  void theSameSeedGivesTheSameWaitsAndJitterVaries() {
    SensorSpec s = spec(Duration.ofSeconds(60), true, Duration.ofDays(7));
    SplittableRandom a = new SplittableRandom(7);
    SplittableRandom b = new SplittableRandom(7);
    SplittableRandom c = new SplittableRandom(8);
    boolean differs = false;
    for (int n = 1; n < 8; n++) {
      Duration x = PokeSchedule.delayAfter(s, n, a);
      assertThat(PokeSchedule.delayAfter(s, n, b)).isEqualTo(x);
      differs |= !PokeSchedule.delayAfter(s, n, c).equals(x);
    }
    assertThat(differs).isTrue();
  }

  @Test
  void atLeastOneSecond() {
    SensorSpec s = spec(Duration.ofMillis(100), true, Duration.ofHours(1));
    Duration d = PokeSchedule.delayAfter(s, 1, new SplittableRandom(3));
    assertThat(d.toMillis()).isBetween(1000L, 1999L);
  }

  @Test
  void cappedByTheTimeoutAndOneDay() {
    SensorSpec shortTimeout = spec(Duration.ofMinutes(10), true, Duration.ofMinutes(30));
    assertThat(PokeSchedule.delayAfter(shortTimeout, 5, new SplittableRandom(1)))
        .isEqualTo(Duration.ofMinutes(30));
    SensorSpec week = spec(Duration.ofHours(1), true, Duration.ofDays(7));
    assertThat(PokeSchedule.delayAfter(week, 40, new SplittableRandom(1)))
        .isEqualTo(PokeSchedule.MAX_WAIT);
    assertThat(PokeSchedule.delayAfter(week, 1000, new SplittableRandom(1)))
        .isEqualTo(PokeSchedule.MAX_WAIT);
  }

  @Test
  void checksWithinEstimatesTheCountFromElapsedTime() {
    SensorSpec plain = spec(Duration.ofSeconds(60), false, Duration.ofDays(1));
    assertThat(PokeSchedule.checksWithin(plain, Duration.ZERO)).isEqualTo(1);
    assertThat(PokeSchedule.checksWithin(plain, Duration.ofSeconds(150))).isEqualTo(3);
    SensorSpec backoff = spec(Duration.ofSeconds(60), true, Duration.ofDays(1));
    // shortest waits 30, 60, 120 s: checks at 0, 30 and 90 s, so three by 100 s
    assertThat(PokeSchedule.checksWithin(backoff, Duration.ofSeconds(10))).isEqualTo(1);
    assertThat(PokeSchedule.checksWithin(backoff, Duration.ofSeconds(100))).isEqualTo(3);
  }
}
