package io.updraft.worker.operators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Rendered durations: seconds as numbers or text, and the short and ISO forms. */
class ArgsTest {
  private static Duration duration(Object v) {
    return new Args(null, Map.of("timeout", v)).duration("timeout", null);
  }

  @Test
  void durations() {
    assertThat(duration(90)).isEqualTo(Duration.ofSeconds(90));
    assertThat(duration("1.5")).isEqualTo(Duration.ofMillis(1500));
    assertThat(duration("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(duration("PT1H")).isEqualTo(Duration.ofHours(1));
    assertThat(duration("1d"))
        .as("a day, not Java's double literal 1d")
        .isEqualTo(Duration.ofDays(1));
    assertThatThrownBy(() -> duration("soon")).hasMessageContaining("must be a duration");
  }
}
