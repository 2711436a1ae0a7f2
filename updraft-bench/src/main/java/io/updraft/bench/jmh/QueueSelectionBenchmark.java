package io.updraft.bench.jmh;

import io.updraft.scheduler.Occupancy;
import io.updraft.scheduler.QueueCandidate;
import io.updraft.scheduler.QueueSelection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The critical section's pure choice ({@link QueueSelection#select}) over 10,000 scheduled task
 * instances — 200 runs × 50 tasks with mixed priorities, two pools — with room for everything, and
 * with the default pool nearly full so that almost every candidate is looked at and passed over.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class QueueSelectionBenchmark {
  private List<QueueCandidate> candidates;
  private Occupancy roomy;
  private Occupancy nearlyFull;

  @Setup
  public void setUp() {
    Instant base = Instant.parse("2024-01-01T00:00:00Z");
    candidates = new ArrayList<>(10_000);
    long id = 1;
    for (int run = 0; run < 200; run++) {
      for (int task = 0; task < 50; task++) {
        candidates.add(
            new QueueCandidate(
                id++,
                "dag_" + run % 20,
                "manual__" + run,
                "t" + task,
                task % 10 == 0 ? "etl" : "default_pool",
                1,
                (task * 7919) % 13,
                base.plusSeconds(run),
                16,
                task % 5 == 0 ? 4 : null));
      }
    }
    Map<String, Integer> sizes = Map.of("default_pool", 128, "etl", 16);
    roomy = new Occupancy(sizes, Map.of(), new HashMap<>(), new HashMap<>(), 10_000);
    nearlyFull =
        new Occupancy(
            sizes,
            Map.of("default_pool", 126, "etl", 16),
            new HashMap<>(),
            new HashMap<>(),
            10_000);
  }

  @Benchmark
  public List<QueueCandidate> selectWithRoom() {
    return QueueSelection.select(candidates, roomy);
  }

  @Benchmark
  public List<QueueCandidate> selectWithPoolsNearlyFull() {
    return QueueSelection.select(candidates, nearlyFull);
  }
}
