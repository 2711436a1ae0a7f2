package io.updraft.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Seed 003's "waits ate every slot": a pool of 2 slots, {@code sensors} {@code defer} sensors in it
 * waiting for files that never come, and {@code work} {@code shell true} tasks in the same pool. In
 * one {@code updraft standalone} (a child process): a run of the work alone, then the sensors
 * deferred, then a run of the same work beside them. Each run's rate is its tasks over the time
 * from its first task's start to its last task's end (rows written by standalone).
 *
 * <p>Main figure: the work's seconds beside the sensors; {@code ratio}: its rate beside the sensors
 * over its rate alone (target: about 1 — deferred sensors take no pool slot); {@code
 * alone_tis_per_s}, {@code beside_tis_per_s}, {@code deferred} (sensors deferred meanwhile).
 */
record SensorPoolWorkload(int sensors, int work, boolean smoke) implements Workload {
  private static final String POOL = "narrow";

  @Override
  public String scenario() {
    return "sensor-pool";
  }

  @Override
  public String label() {
    return sensors + "-sensors-" + work + "-tasks";
  }

  @Override
  public int tasks() {
    return work;
  }

  @Override
  public int dags() {
    return 3;
  }

  @Override
  public Sample run(BenchDatabases databases, Window window) throws Exception {
    Map<String, String> env = Map.of("UPDRAFT_CORE_DAGS_ARE_PAUSED_AT_CREATION", "false");
    try (ChildSite site = ChildSite.open(databases, env)) {
      Path never = site.scratch("never");
      SensorDags.work(site.dags().resolve("alone.yaml"), "alone", work, POOL);
      SensorDags.work(site.dags().resolve("beside.yaml"), "beside", work, POOL);
      SensorDags.waiting(
          site.dags().resolve("waits.yaml"), "waits", sensors, POOL, never, "60s", true);
      Duration cli = Duration.ofMinutes(2);
      site.run(cli, "pools", "set", POOL, "2");
      site.standalone(Duration.ofMinutes(smoke ? 2 : 5));
      window.open();
      try {
        double alone = makespan(site, "alone");
        site.run(cli, "dags", "trigger", "waits");
        site.await(
            "all " + sensors + " sensors deferred",
            Duration.ofMinutes(5),
            () -> site.count(SensorScenarios.deferredOf("waits")) == sensors);
        double beside = makespan(site, "beside");
        long deferred = site.count(SensorScenarios.deferredOf("waits"));
        return new Sample(
            beside,
            Map.of(
                "beside_tis_per_s", work / beside,
                "alone_tis_per_s", work / alone,
                "ratio", alone / beside,
                "deferred", (double) deferred));
      } finally {
        window.close();
      }
    }
  }

  /** Triggers a run of {@code dagId} and returns its first task start to last task end, in s. */
  private double makespan(ChildSite site, String dagId) throws Exception {
    site.run(Duration.ofMinutes(2), "dags", "trigger", dagId);
    String done =
        "SELECT COUNT(*) FROM task_instance WHERE dag_id = '" + dagId + "' AND state = 'success'";
    site.await(
        "the "
            + work
            + " tasks of "
            + dagId
            + " in pool "
            + POOL
            + " to succeed (they share it"
            + " with deferred sensors, which must not hold its slots)",
        Duration.ofMinutes(smoke ? 2 : 10),
        () -> site.count(done) == work);
    Instant first =
        site.instant("SELECT MIN(start_date) AS d FROM task_instance WHERE dag_id = ?", "d", dagId)
            .orElseThrow();
    Instant last =
        site.instant("SELECT MAX(end_date) AS d FROM task_instance WHERE dag_id = ?", "d", dagId)
            .orElseThrow();
    return Duration.between(first, last).toNanos() / 1e9;
  }
}
