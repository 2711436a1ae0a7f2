package io.updraft.worker;

import static io.updraft.worker.Tasks.dag;
import static io.updraft.worker.Tasks.shell;
import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.dag.Dag;
import io.updraft.state.TaskInstanceState;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures one {@code true} task end to end through the runner: render, log file, temp cwd, {@code
 * bash -c true}, pipes, footer, cleanup. Prints the median of 200 (after 20 warm-up runs); asserts
 * nothing about time. Run with {@code -Dupdraft.bench=true} (add {@code
 * -DargLine=-Djdk.lang.Process.launchMechanism=VFORK} to compare launch mechanisms).
 */
@EnabledIfSystemProperty(
    named = "updraft.bench",
    matches = "true",
    disabledReason = "a measurement, not a test: run with -Dupdraft.bench=true")
class TaskRunnerOverheadTest {

  @TempDir Path logs;
  @TempDir Path tmp;

  @Test
  void medianOfATrueTask() {
    TaskRunner runner = new TaskRunner(RunnerSettings.defaults().withTempRoot(tmp));
    Dag dag = dag(Map.of(), shell("t", "true"));
    Instant logical = Instant.parse("2024-01-01T00:00:00Z");
    long[] nanos = new long[200];
    for (int i = -20; i < nanos.length; i++) {
      TryRequest r =
          TryRequest.builder(dag, "t", "manual__" + i, logical, logs).tryNumber(1).build();
      long t0 = System.nanoTime();
      TryOutcome o = runner.run(r);
      long t1 = System.nanoTime();
      assertThat(o.state()).isEqualTo(TaskInstanceState.SUCCESS);
      if (i >= 0) {
        nanos[i] = t1 - t0;
      }
    }
    Arrays.sort(nanos);
    System.out.printf(
        "true task through TaskRunner (launchMechanism=%s): median %.2f ms, p90 %.2f ms, min %.2f"
            + " ms%n",
        System.getProperty("jdk.lang.Process.launchMechanism", "default"),
        nanos[100] / 1e6,
        nanos[180] / 1e6,
        nanos[0] / 1e6);
  }
}
