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
            new LogRow(
                first,
                T0,
                "trigger",
                "d",
                null,
                "manual__1",
                null,
                null,
                "alice",
                "{\"conf\":{}}"));
  }

  @Test
  void pagesFiltersAndCountsInSql() {
    long a = log().record("trigger", "d", null, "r1", "alice", null, T0);
    long b = log().record("pause", "e", null, null, "bob", null, T0.plusSeconds(1));
    long c = log().record("clear", "d", "t", "r1", "alice", null, T0.plusSeconds(2));
    long d = log().record("trigger", "d", null, "r2", "bob", null, T0.plusSeconds(3));
    LogRepository.Filter none = LogRepository.Filter.NONE;

    assertThat(log().page(none, "id", false, 10, 0))
        .extracting(LogRow::id)
        .containsExactly(a, b, c, d);
    assertThat(log().page(none, "when", true, 2, 1)).extracting(LogRow::id).containsExactly(c, b);
    assertThat(log().count(none)).isEqualTo(4);
    assertThat(log().page(none, "owner", false, 10, 0))
        .extracting(LogRow::id)
        .containsExactly(a, c, b, d);

    LogRepository.Filter ofD =
        new LogRepository.Filter(
            "d", null, null, null, null, "alice", null, null, null, null, null);
    assertThat(log().page(ofD, "id", false, 10, 0)).extracting(LogRow::id).containsExactly(a, c);
    assertThat(log().count(ofD)).isEqualTo(2);

    LogRepository.Filter window =
        new LogRepository.Filter(
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            java.util.List.of("trigger", "clear"),
            java.util.List.of("clear"),
            T0.plusSeconds(3),
            T0);
    assertThat(log().page(window, "id", false, 10, 0)).extracting(LogRow::id).containsExactly(a);
    LogRepository.Filter task =
        new LogRepository.Filter(
            null, "t", "r1", null, null, null, "clear", null, null, null, null);
    assertThat(log().count(task)).isEqualTo(1);
    assertThat(log().get(c)).map(LogRow::taskId).contains("t");
    assertThat(log().get(-1)).isEmpty();
  }
}
