package io.updraft.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Issue 12's latency: from a sensor's condition becoming true to its downstream task starting,
 * under {@code updraft standalone} (a child process; its triggerer runs inside it). {@code samples}
 * pairs {@code w<i> → d<i>} ({@code d<i>} a {@code shell true} task) in one run, the sensors all
 * deferred before the first condition becomes true, then made true one at a time:
 *
 * <ul>
 *   <li>{@code file-2s}: {@code w<i>} waits for a file (poke_interval 2 s); the bench creates it
 *       after a random pause of up to one interval (so it lands at a random point of the poll
 *       cycle), notes the instant, and waits for {@code d<i>} to start. Target p50 ≤ poke_interval
 *       / 2 + 20 ms.
 *   <li>{@code external-task}: {@code w<i>} waits for task {@code g<i>} of another DAG of the same
 *       installation (poke_interval 60 s: only the wake-up can end it in time); the {@code g<i>}
 *       run one after the other ({@code sleep 0.3} each) once the bench lets the first start. The
 *       latency is {@code d<i>}'s start minus {@code g<i>}'s end, both written by standalone.
 *       Target p50 ≤ 50 ms.
 * </ul>
 *
 * Main figure: the p50 in seconds; {@code p50_ms}, {@code p99_ms} (nearest rank) and {@code
 * samples} as extras.
 */
record SensorLatencyWorkload(boolean external, int samples, boolean smoke) implements Workload {
  private static final Duration POKE = Duration.ofSeconds(2);

  @Override
  public String scenario() {
    return "sensor-latency";
  }

  @Override
  public String label() {
    return external ? "external-task" : "file-" + POKE.toSeconds() + "s";
  }

  @Override
  public int tasks() {
    return 2 * samples;
  }

  @Override
  public int dags() {
    return external ? 2 : 1;
  }

  @Override
  public Sample run(BenchDatabases databases, Window window) throws Exception {
    Map<String, String> env = Map.of("UPDRAFT_CORE_DAGS_ARE_PAUSED_AT_CREATION", "false");
    try (ChildSite site = ChildSite.open(databases, env)) {
      Path files = site.scratch("files");
      if (external) {
        Files.writeString(site.dags().resolve("upstream.yaml"), upstreamDag(files));
        Files.writeString(site.dags().resolve("waiter.yaml"), waiterDag(null));
      } else {
        Files.writeString(site.dags().resolve("waiter.yaml"), waiterDag(files));
      }
      site.standalone(Duration.ofMinutes(smoke ? 2 : 5));
      site.await(
          "all " + samples + " sensors deferred",
          Duration.ofMinutes(2),
          () -> site.count(SensorScenarios.deferredOf("waiter")) == samples);
      Thread.sleep(POKE.toMillis()); // every sensor checked at least once
      window.open();
      List<Double> millis = new ArrayList<>();
      try {
        if (external) {
          Files.writeString(files.resolve("start"), "");
          for (int i = 1; i <= samples; i++) {
            Instant started = awaitStart(site, "waiter", "d" + i);
            Instant upstreamEnd =
                site.instant(SensorScenarios.END_OF, "d", "upstream", "g" + i).orElseThrow();
            millis.add(Duration.between(upstreamEnd, started).toNanos() / 1e6);
          }
        } else {
          for (int i = 1; i <= samples; i++) {
            Thread.sleep(ThreadLocalRandom.current().nextLong(POKE.toMillis()));
            Files.writeString(files.resolve("ready_" + i), "");
            Instant created = Instant.now();
            Instant started = awaitStart(site, "waiter", "d" + i);
            millis.add(Duration.between(created, started).toNanos() / 1e6);
          }
        }
      } finally {
        window.close();
      }
      List<Double> sorted = new ArrayList<>(millis);
      sorted.sort(null);
      double p50 = TaskLag.percentile(sorted, 50);
      return new Sample(
          Math.max(0, p50 / 1000),
          Map.of(
              "p50_ms",
              p50,
              "p99_ms",
              TaskLag.percentile(sorted, 99),
              "samples",
              (double) sorted.size()));
    }
  }

  private Instant awaitStart(ChildSite site, String dagId, String taskId) throws Exception {
    site.await(
        dagId + "." + taskId + " to start",
        Duration.ofMinutes(2),
        () -> site.instant(SensorScenarios.START_OF, "d", dagId, taskId).isPresent());
    return site.instant(SensorScenarios.START_OF, "d", dagId, taskId).orElseThrow();
  }

  /**
   * {@code w<i> → d<i>}; {@code w<i>} waits for {@code files/ready_<i>} or {@code upstream.g<i>}.
   */
  private String waiterDag(Path files) {
    StringBuilder y = SensorDags.header("waiter", "\"@daily\"");
    for (int i = 1; i <= samples; i++) {
      y.append("  - {task_id: w").append(i).append(", operator: sensor, timeout: 1h, ");
      if (external) {
        y.append("poke_interval: 60s, wait: {external_task: {dag_id: upstream, task_id: g");
        y.append(i).append("}}}\n");
      } else {
        y.append("poke_interval: ").append(POKE.toSeconds()).append("s, wait: {file: \"");
        y.append(files.resolve("ready_" + i)).append("\"}}\n");
      }
      y.append("  - {task_id: d").append(i).append(", operator: shell, command: \"true\"");
      y.append(", upstream: [w").append(i).append("]}\n");
    }
    return y.toString();
  }

  /** Same schedule as the waiter (same logical date): {@code go → g1 → g2 → …}. */
  private String upstreamDag(Path files) {
    StringBuilder y = SensorDags.header("upstream", "\"@daily\"");
    y.append("  - {task_id: go, operator: shell, command: \"until [ -e '");
    y.append(files.resolve("start")).append("' ]; do sleep 0.1; done\"}\n");
    for (int i = 1; i <= samples; i++) {
      y.append("  - {task_id: g").append(i).append(", operator: shell, command: \"sleep 0.3\"");
      y.append(", upstream: [").append(i == 1 ? "go" : "g" + (i - 1)).append("]}\n");
    }
    return y.toString();
  }
}
