package io.updraft.api;

import io.updraft.store.Database;
import io.updraft.store.JobRepository;
import io.updraft.store.JobType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

/**
 * {@code GET /api/v2/version} and {@code GET /api/v2/monitor/health}, the two endpoints that need
 * no sign-in. Health is Airflow's: each component is healthy when the newest heartbeat of a running
 * job of its kind is younger than the threshold, and its status is null when none ever ran.
 */
final class MonitorRoutes {
  private MonitorRoutes() {}

  public record VersionResponse(String version, String gitVersion) {}

  /** A component's health; {@code latest_heartbeat} under the name Airflow gives it. */
  public record Status(String status) {}

  public record SchedulerStatus(String status, String latestSchedulerHeartbeat) {}

  public record TriggererStatus(String status, String latestTriggererHeartbeat) {}

  public record DagProcessorStatus(String status, String latestDagProcessorHeartbeat) {}

  /**
   * Remote workers (decisions/0169): {@code alive} is how many heartbeat within the threshold
   * ({@code GET /api/v2/workers} lists them).
   */
  public record WorkerStatus(String status, String latestWorkerHeartbeat, Integer alive) {}

  public record HealthResponse(
      Status metadatabase,
      SchedulerStatus scheduler,
      TriggererStatus triggerer,
      DagProcessorStatus dagProcessor,
      WorkerStatus worker) {}

  static List<Route> routes(Database db, Clock clock, Duration threshold) {
    return List.of(
        Route.get(
            "/api/v2/version",
            null,
            "The version of Updraft",
            VersionResponse.class,
            (ctx, caller) -> new VersionResponse(version(), null)),
        Route.get(
            "/api/v2/monitor/health",
            null,
            "The health of the metadata database and of each component, from their heartbeats",
            HealthResponse.class,
            (ctx, caller) -> health(db, clock.instant(), threshold)));
  }

  static HealthResponse health(Database db, Instant now, Duration threshold) {
    JobRepository jobs = new JobRepository(db);
    Instant scheduler;
    Instant triggerer;
    Instant processor;
    Instant worker;
    int workers;
    try {
      scheduler = jobs.latestHeartbeat(JobType.SCHEDULER);
      triggerer = jobs.latestHeartbeat(JobType.TRIGGERER);
      processor = jobs.latestHeartbeat(JobType.DAG_PROCESSOR);
      // Ended rows too: a worker taken for dead is unhealthy, not "never ran" (decisions/0169).
      worker = jobs.latestHeartbeatEver(JobType.WORKER);
      workers = worker == null ? 0 : jobs.aliveSince(JobType.WORKER, now.minus(threshold)).size();
    } catch (RuntimeException e) {
      return new HealthResponse(
          new Status("unhealthy"),
          new SchedulerStatus(null, null),
          new TriggererStatus(null, null),
          new DagProcessorStatus(null, null),
          new WorkerStatus(null, null, null));
    }
    return new HealthResponse(
        new Status("healthy"),
        new SchedulerStatus(status(scheduler, now, threshold), Json.instant(scheduler)),
        new TriggererStatus(status(triggerer, now, threshold), Json.instant(triggerer)),
        new DagProcessorStatus(status(processor, now, threshold), Json.instant(processor)),
        new WorkerStatus(
            status(worker, now, threshold), Json.instant(worker), worker == null ? null : workers));
  }

  private static String status(Instant heartbeat, Instant now, Duration threshold) {
    if (heartbeat == null) {
      return null;
    }
    return heartbeat.plus(threshold).isAfter(now) ? "healthy" : "unhealthy";
  }

  static String version() {
    try (InputStream in =
        MonitorRoutes.class.getResourceAsStream("/io/updraft/cli/version.properties")) {
      Properties p = new Properties();
      if (in != null) {
        p.load(in);
      }
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
