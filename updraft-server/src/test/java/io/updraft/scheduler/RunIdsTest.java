package io.updraft.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.store.RunType;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RunIdsTest {
  @ParameterizedTest
  @CsvSource({
    "SCHEDULED, 2024-01-01T00:00:00Z,          scheduled__2024-01-01T00:00:00+00:00",
    "MANUAL,    2024-03-31T01:30:15Z,          manual__2024-03-31T01:30:15+00:00",
    "BACKFILL,  2024-01-01T00:00:00.25Z,       backfill__2024-01-01T00:00:00.250000+00:00",
    "MANUAL,    2024-01-01T00:00:00.000001Z,   manual__2024-01-01T00:00:00.000001+00:00",
    "MANUAL,    2024-01-01T00:00:00.000000999Z, manual__2024-01-01T00:00:00+00:00",
    "SCHEDULED, 0999-12-31T23:59:59Z,          scheduled__0999-12-31T23:59:59+00:00",
  })
  void asAirflowWritesThem(RunType type, String instant, String expected) {
    assertThat(RunIds.of(type, Instant.parse(instant))).isEqualTo(expected);
  }
}
