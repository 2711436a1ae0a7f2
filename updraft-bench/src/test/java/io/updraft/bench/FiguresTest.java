package io.updraft.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.updraft.state.TaskInstanceState;
import io.updraft.store.TaskInstanceRow;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The arithmetic behind the reported figures. */
class FiguresTest {
  private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

  @Test
  void medianOfOddAndEvenCounts() {
    assertThat(Result.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
    assertThat(Result.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
  }

  @Test
  void nearestRankPercentiles() {
    List<Double> hundred = new java.util.ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      hundred.add((double) i);
    }
    assertThat(TaskLag.percentile(hundred, 50)).isEqualTo(50.0);
    assertThat(TaskLag.percentile(hundred, 99)).isEqualTo(99.0);
    assertThat(TaskLag.percentile(List.of(7.0), 99)).isEqualTo(7.0);
  }

  private static TaskInstanceRow ti(String taskId, long startMs, long endMs) {
    return new TaskInstanceRow(
        1,
        "d",
        "r",
        taskId,
        -1,
        TaskInstanceState.SUCCESS,
        1,
        1,
        1,
        "default_pool",
        1,
        "default",
        "shell",
        T0.plusMillis(startMs),
        T0.plusMillis(endMs),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  @Test
  void lagIsEachTaskStartMinusItsUpstreamEndInLineOrder() {
    // t10 sorts after t9 by number, not by text
    List<Double> hops =
        TaskLag.hopsMillis(List.of(ti("t10", 40, 41), ti("t1", 0, 10), ti("t9", 13, 30)));
    assertThat(hops).containsExactly(3.0, 10.0);
    Map<String, Double> s = TaskLag.summary(hops);
    assertThat(s.get("lag_total_s")).isCloseTo(0.013, within(1e-9));
    assertThat(s.get("lag_p50_ms")).isEqualTo(3.0);
    assertThat(s.get("lag_p99_ms")).isEqualTo(10.0);
  }

  @Test
  void seed000ShapeIsTheExampleDagAndTheWideOneATree() {
    DagFiles.Shape s = DagFiles.Shape.SEED000;
    assertThat(s.upstreamOf(1, 12)).isEmpty();
    assertThat(s.upstreamOf(3, 12)).containsExactly(2);
    assertThat(s.upstreamOf(8, 12)).containsExactly(3);
    assertThat(s.upstreamOf(12, 12)).containsExactly(8);
    assertThat(s.upstreamOf(9, 40)).containsExactly(4);
    assertThat(s.upstreamOf(13, 40)).containsExactly(8);
    assertThat(s.upstreamOf(40, 40)).containsExactly(5);
  }

  @Test
  void procStatusLinesAreReadInMebibytes() throws Exception {
    List<String> status = List.of("Name:\tjava", "VmHWM:\t  204800 kB", "VmRSS:\t  102400 kB");
    assertThat(ProcStatus.field(status, "VmRSS")).isEqualTo(100.0);
    assertThat(ProcStatus.field(status, "VmHWM")).isEqualTo(200.0);
  }
}
