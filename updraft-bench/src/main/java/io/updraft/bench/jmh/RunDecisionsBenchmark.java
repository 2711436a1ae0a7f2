package io.updraft.bench.jmh;

import io.updraft.dag.Dag;
import io.updraft.dag.Task;
import io.updraft.rules.TriggerRules;
import io.updraft.rules.UpstreamStates;
import io.updraft.scheduler.RunDecision;
import io.updraft.scheduler.RunDecisions;
import io.updraft.scheduler.TaskInstanceView;
import io.updraft.state.TaskInstanceState;
import java.time.Instant;
import java.util.ArrayList;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Scheduler step 3's pure part over a 10,000-task DAG (100 layers × 100 tasks): {@link
 * RunDecisions#decide} — trigger rules and readiness of every task, in topological order — on a run
 * that has just started, one half done, and one all done; and the trigger-rule evaluation alone for
 * every task.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RunDecisionsBenchmark {
  private static final Instant NOW = Instant.parse("2024-01-01T00:00:00Z");

  private Dag dag;
  private Map<String, TaskInstanceView> fresh;
  private Map<String, TaskInstanceView> half;
  private Map<String, TaskInstanceView> done;
  private List<List<TaskInstanceState>> upstreamStates;

  @Setup
  public void setUp() {
    dag = LayeredDag.build(100, 100);
    fresh = LayeredDag.midRun(dag, -1);
    half = LayeredDag.midRun(dag, 50);
    done = LayeredDag.midRun(dag, 100);
    upstreamStates = new ArrayList<>();
    for (Task t : dag.tasks()) {
      List<TaskInstanceState> up = new ArrayList<>();
      t.upstream().forEach(u -> up.add(half.get(u).state()));
      upstreamStates.add(up);
    }
  }

  @Benchmark
  public RunDecision decideFreshRun() {
    return RunDecisions.decide(dag, NOW, fresh, NOW, t -> null);
  }

  @Benchmark
  public RunDecision decideHalfDoneRun() {
    return RunDecisions.decide(dag, NOW, half, NOW, t -> null);
  }

  @Benchmark
  public RunDecision decideFinishedRun() {
    return RunDecisions.decide(dag, NOW, done, NOW, t -> null);
  }

  @Benchmark
  public void triggerRulesOfEveryTask(Blackhole bh) {
    List<Task> tasks = dag.tasks();
    for (int i = 0; i < tasks.size(); i++) {
      bh.consume(
          TriggerRules.decide(
              tasks.get(i).triggerRule(), UpstreamStates.of(upstreamStates.get(i))));
    }
  }
}
