package io.updraft.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

abstract class LogRepositoryContractTest extends RepositoryContractTest {
  LogRepository log() {
    return new LogRepository(db);
  }

  @Test
  void recordsAndListsNewestFirst() {
    long first = log().record("trigger", "d", null, "manual__1", "alice", "{\"conf\":{}}", T0);
    long second = log().record("pause", "e", null, null, "bob", null, T0.plusSeconds(1));
    long third = log().record("clear", "d", "t", "manual__1", "alice", null, T0.plusSeconds(1));

    assertThat(log().recent(10)).extracting(LogRow::id).containsExactly(third, second, first);
    assertThat(log().recent(1)).extracting(LogRow::id).containsExactly(third);
    assertThat(log().recentForDag("d", 10)).extracting(LogRow::id).containsExactly(third, first);
    assertThat(log().recentForDag("d", 10).get(1))
        .isEqualTo(
            new LogRow(first, T0, "trigger", "d", null, "manual__1", "alice", "{\"conf\":{}}"));
  }
}
