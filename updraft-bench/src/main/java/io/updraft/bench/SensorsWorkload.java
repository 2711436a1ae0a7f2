package io.updraft.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Seed 003's cost of waiting (issue 12): {@code dags × sensorsPerDag} {@code defer} sensors, each
 * waiting for a file that never comes (poke_interval 60 s), deferred at once and held by ONE {@code
 * updraft triggerer} child process beside an {@code updraft scheduler} child (on H2 they share the
 * file through H2's server; on PostgreSQL the server). The triggerer starts first and idles; then
 * the scheduler defers every sensor.
 *
 * <p>Main figure: seconds from the scheduler's start until the triggerer holds every trigger.
 * Figures of the triggerer, while it waits: {@code heap_over_idle_mb} — its heap in use after a
 * full collection ({@link HeapAfterGc}: {@code jcmd GC.run} then {@code GC.heap_info}) minus the
 * same before any trigger existed (target ≤ 100 MB); {@code rss_mb} ({@code VmRSS}); {@code
 * cpu_pct} — {@code utime + stime} from {@code /proc} over a window of 60 s (2 s at smoke size) as
 * a percentage of one core (target ≤ 5 %); {@code slots_held} — task instances queued or running,
 * sampled every second of that window, the highest (target 0).
 */
record SensorsWorkload(int dags, int sensorsPerDag, boolean smoke) implements Workload {
  @Override
  public String scenario() {
    return "sensors";
  }

  @Override
  public String label() {
    return dags * sensorsPerDag + "-deferred";
  }

  @Override
  public int tasks() {
    return sensorsPerDag;
  }

  @Override
  public int runs() {
    return dags;
  }

  @Override
  public Sample run(BenchDatabases databases, Window window) throws Exception {
    int total = dags * sensorsPerDag;
    Map<String, String> env = Map.of("UPDRAFT_CORE_DAGS_ARE_PAUSED_AT_CREATION", "false");
    try (ChildSite site = ChildSite.open(databases, env)) {
      Path never = site.scratch("never");
      for (int d = 0; d < dags; d++) {
        SensorDags.waiting(
            site.dags().resolve("wait_" + d + ".yaml"),
            "wait_" + d,
            sensorsPerDag,
            "default_pool",
            never,
            "60s",
            false);
      }
      Duration start = Duration.ofMinutes(smoke ? 2 : 5);
      ChildSite.Child triggerer =
          site.start(
              SensorScenarios.TRIGGERER_READY,
              start,
              "triggerer",
              "--capacity",
              Integer.toString(Math.max(total, 1000)));
      Thread.sleep(smoke ? 500 : 10_000); // start-up settles
      double idleHeap = HeapAfterGc.usedMb(triggerer.pid());
      double idleRss = ProcStatus.rssMb(triggerer.pid());

      window.open();
      try {
        long t0 = System.nanoTime();
        site.start(SensorScenarios.SCHEDULER_READY, start, "scheduler");
        site.await(
            "the triggerer holding all " + total + " triggers",
            Duration.ofMinutes(smoke ? 2 : 10),
            () -> site.count(SensorScenarios.HELD_TRIGGERS) >= total);
        double seconds = (System.nanoTime() - t0) / 1e9;
        long deferred = site.count(SensorScenarios.DEFERRED);
        if (deferred != total) {
          throw new IllegalStateException(deferred + " sensors deferred, expected " + total);
        }
        Thread.sleep(smoke ? 500 : 10_000); // the first checks done, the heap settled
        double heap = HeapAfterGc.usedMb(triggerer.pid());

        long slots = 0;
        double windowSeconds = smoke ? 2 : 60;
        double cpu0 = ProcStatus.cpuSeconds(triggerer.pid());
        long w0 = System.nanoTime();
        while (System.nanoTime() - w0 < windowSeconds * 1e9) {
          slots = Math.max(slots, site.count(SensorScenarios.SLOTS_HELD));
          Thread.sleep(smoke ? 200 : 1_000);
        }
        double cpu = ProcStatus.cpuSeconds(triggerer.pid()) - cpu0;
        double elapsed = (System.nanoTime() - w0) / 1e9;
        Map<String, Double> extras = new HashMap<>();
        extras.put("heap_idle_mb", idleHeap);
        extras.put("heap_mb", heap);
        extras.put("heap_over_idle_mb", heap - idleHeap);
        extras.put("rss_idle_mb", idleRss);
        extras.put("rss_mb", ProcStatus.rssMb(triggerer.pid()));
        extras.put("cpu_pct", 100 * cpu / elapsed);
        extras.put("slots_held", (double) slots);
        extras.put("deferred", (double) deferred);
        return new Sample(seconds, extras);
      } finally {
        window.close();
      }
    }
  }
}
