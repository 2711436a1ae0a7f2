package io.updraft.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chaos tests' judge must see the faults it is there to find. */
class TryTracesTest {
  @TempDir Path dir;

  private TryTraces traces(String... lines) throws Exception {
    Path f = dir.resolve("t.log");
    Files.write(f, java.util.List.of(lines));
    return TryTraces.read(f);
  }

  @Test
  void twoTriesOfOneTaskInstanceAtOnceAreAnOverlap() throws Exception {
    TryTraces t =
        traces(
            "start r a 1 100 10",
            "start r a 2 101 15",
            "end r a 1 100 20",
            "end r a 2 101 30",
            "start r b 1 102 10",
            "end r b 1 102 20",
            "start r b 2 103 20",
            "end r b 2 103 25");
    assertThat(t.overlaps()).hasSize(1).first().asString().contains("r a try 1");
  }

  @Test
  void aTryWithoutItsEndRunsOn() throws Exception {
    TryTraces t = traces("start r a 1 100 10", "start r a 2 101 50", "end r a 2 101 60");
    assertThat(t.overlaps()).hasSize(1);
    assertThat(t.unended()).hasSize(1);
  }

  @Test
  void countsProcessesOfThePoolAtOneInstant() throws Exception {
    TryTraces t =
        traces(
            "start r p_1 1 1 0",
            "start r p_2 1 2 1",
            "start r p_3 1 3 2",
            "end r p_1 1 1 3",
            "start r p_4 1 4 3",
            "start r other 1 5 2",
            "end r other 1 5 9",
            "end r p_2 1 2 4",
            "end r p_3 1 3 5",
            "end r p_4 1 4 6");
    assertThat(t.maxConcurrent("p_")).isEqualTo(3);
    assertThat(
            traces("start r p_1 1 1 0", "start r p_2 1 2 1", "end r p_1 1 1 3").maxConcurrent("p_"))
        .isEqualTo(2);
  }
}
