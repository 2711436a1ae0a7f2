package io.updraft.bench;

import io.updraft.bench.DagFiles.Shape;
import io.updraft.bench.SchedulerHarness.ExecutorKind;
import io.updraft.bench.SchedulerWorkload.Measure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The scenarios of the suite (issue 5) and their workloads, at full size or at the tiny smoke size
 * the test suite runs.
 */
public final class Scenarios {
  /** Every scenario, in the order {@code all} runs them. */
  public static final List<String> NAMES =
      List.of(
          "seed000-null",
          "seed000-local",
          "task-lag",
          "process-tasks",
          "throughput",
          "inline-chains",
          "parse-4000",
          "dag-versions",
          "idle-footprint",
          "tasks-logs",
          "print-footprint",
          "operator-overhead",
          "custom-operator",
          "sensors",
          "sensor-latency",
          "sensor-pool",
          "ui-pages",
          "bulk-runs",
          "work-footprint",
          "scaling",
          "chaos");

  private Scenarios() {}

  /** {@code all}, or one name; a {@link UsageException} naming the choices for anything else. */
  static List<String> select(String name) {
    if (name.equals("all")) {
      return NAMES;
    }
    if (NAMES.contains(name)) {
      return List.of(name);
    }
    throw new UsageException(
        "unknown scenario '" + name + "' — use all or one of: " + String.join(", ", NAMES));
  }

  /** The workloads of a scenario. */
  public static List<Workload> workloads(String scenario, boolean smoke) {
    return switch (scenario) {
      case "seed000-null" ->
          List.of(
              scheduler(scenario, 40, 12, Shape.SEED000, ExecutorKind.NULL, smoke),
              scheduler(scenario, 40, 40, Shape.SEED000, ExecutorKind.NULL, smoke));
      case "seed000-local" ->
          List.of(
              scheduler(scenario, 1, 12, Shape.SEED000, ExecutorKind.LOCAL, smoke),
              scheduler(scenario, 3, 12, Shape.SEED000, ExecutorKind.LOCAL, smoke));
      case "task-lag" ->
          List.of(
              taskLag(smoke ? 3 : 100, smoke ? 3 : 10, Measure.TASK_LAG),
              taskLag(smoke ? 3 : 100, smoke ? 3 : 10, Measure.TASK_LAG_ONE_DAG_AT_A_TIME));
      case "process-tasks" -> List.of(new ProcessTasksWorkload(smoke ? 3 : 300, 3));
      case "throughput" ->
          List.of(
              scheduler(scenario, 200, 50, Shape.INDEPENDENT, ExecutorKind.NULL, smoke),
              // default_pool at 1,024 slots instead of 128: a pass of the critical section may
              // queue all it reads (512) — how far the pool's size, not the scheduler, bounds it
              scheduler(scenario, 200, 50, Shape.INDEPENDENT, ExecutorKind.NULL, smoke)
                  .withDefaultPool(1024));
      case "inline-chains" ->
          List.of(
              new InlineChainsWorkload("empty", smoke ? 3 : 300),
              new InlineChainsWorkload("http", smoke ? 3 : 300),
              new InlineChainsWorkload("http", "upstream", smoke ? 3 : 300));
      case "parse-4000" -> ParseWorkload.both(smoke ? 20 : 4000, smoke ? 3 : 10);
      case "dag-versions" ->
          DagVersionsWorkload.both(smoke ? 20 : 1000, smoke ? 20 : 4000, smoke ? 3 : 10);
      case "bulk-runs" ->
          List.of(
              new BulkRunsWorkload(true, smoke ? 5 : 300, smoke),
              new BulkRunsWorkload(false, smoke ? 5 : 300, smoke));
      case "work-footprint" -> WorkFootprintWorkload.cases(smoke);
      case "scaling" -> scaling(smoke);
      // Issue 14: 2,000 task instances (200 runs) under kill -9; smoke: 3 runs
      case "chaos" -> List.of(new ChaosWorkload(smoke ? 3 : 200));
      case "idle-footprint" -> List.of(new IdleFootprintWorkload(smoke ? 3 : 1000, smoke));
      case "tasks-logs" -> List.of(new TasksLogsWorkload(smoke ? 1 : 200));
      case "print-footprint" ->
          List.of(
              new PrintFootprintWorkload(smoke ? 1 : 200, false, smoke),
              new PrintFootprintWorkload(smoke ? 1 : 200, true, smoke));
      case "operator-overhead" ->
          List.of(
              new OperatorOverheadWorkload("http", smoke ? 3 : 2000),
              new OperatorOverheadWorkload("sql", smoke ? 3 : 2000));
      case "custom-operator" ->
          smoke
              ? List.of(new CustomOperatorWorkload(5, 1, true))
              : List.of(
                  new CustomOperatorWorkload(1000, 20, true),
                  new CustomOperatorWorkload(1000, 20, false));
      case "sensors" ->
          List.of(smoke ? new SensorsWorkload(2, 5, true) : new SensorsWorkload(100, 100, false));
      case "sensor-latency" ->
          List.of(
              new SensorLatencyWorkload(false, smoke ? 2 : 20, smoke),
              new SensorLatencyWorkload(true, smoke ? 2 : 40, smoke));
      case "sensor-pool" ->
          List.of(
              smoke ? new SensorPoolWorkload(5, 4, true) : new SensorPoolWorkload(200, 100, false));
      case "ui-pages" ->
          List.of(smoke ? new UiPagesWorkload(20, 5, 5) : new UiPagesWorkload(1000, 100, 100));
      default -> throw new UsageException("unknown scenario '" + scenario + "'");
    };
  }

  /** All workloads of the named scenarios, in order. */
  public static List<Workload> workloads(List<String> scenarios, boolean smoke) {
    List<Workload> out = new ArrayList<>();
    scenarios.forEach(s -> out.addAll(workloads(s, smoke)));
    return out;
  }

  /**
   * Issue 14: 1 and 2 remote schedulers × 1, 2 and 4 workers running {@code http} tasks, the local
   * executor's baseline, and {@code shell true} tasks locally and on 2 workers. Smoke: three cases
   * of 2 runs × 3 tasks (local, 2 schedulers and 2 workers, shell on a worker) — each case starts
   * its own JVMs, so the whole grid would cost the test suite minutes and prove nothing more.
   */
  private static List<Workload> scaling(boolean smoke) {
    if (smoke) {
      return List.of(
          ScalingWorkload.local("http", 2, 3),
          new ScalingWorkload(true, 2, 2, "http", 2, 3),
          new ScalingWorkload(true, 1, 1, "shell", 2, 3));
    }
    int runs = 100;
    int tasks = 10;
    List<Workload> out = new ArrayList<>();
    out.add(ScalingWorkload.local("http", runs, tasks));
    for (int s : List.of(1, 2)) {
      for (int w : List.of(1, 2, 4)) {
        out.add(new ScalingWorkload(true, s, w, "http", runs, tasks));
      }
    }
    out.add(ScalingWorkload.local("shell", runs, tasks));
    out.add(new ScalingWorkload(true, 1, 2, "shell", runs, tasks));
    return out;
  }

  /** {@code runs} concurrent runs of one DAG of {@code tasks} tasks; smoke: 2 runs, ≤ 13 tasks. */
  private static SchedulerWorkload scheduler(
      String scenario, int runs, int tasks, Shape shape, ExecutorKind executor, boolean smoke) {
    int n = smoke ? Math.min(runs, 2) : runs;
    int t = smoke ? Math.min(tasks, 13) : tasks;
    return new SchedulerWorkload(
        scenario,
        n + "x" + t,
        shape,
        1,
        n,
        t,
        executor,
        Measure.TIME_TO_FINISH,
        null,
        Duration.ofMinutes(smoke ? 1 : 10));
  }

  private static Workload taskLag(int dags, int tasks, Measure measure) {
    return new SchedulerWorkload(
        "task-lag",
        dags + "x" + tasks + (measure == Measure.TASK_LAG ? "" : "-one-at-a-time"),
        Shape.LINE,
        dags,
        1,
        tasks,
        ExecutorKind.LOCAL,
        measure,
        null,
        Duration.ofMinutes(10));
  }
}
