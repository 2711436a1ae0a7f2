package io.updraft.dagproc;

import io.updraft.store.Database;
import io.updraft.store.JobRepository;
import io.updraft.store.JobType;
import io.updraft.util.Hostname;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DAG processor's {@code dag_processor} job: registered when it starts, heartbeated on a thread
 * of its own while it runs, ended as success when it stops — what the health endpoint reads,
 * whether the processor is the {@code dag-processor} command or runs inside {@code standalone} or a
 * {@code scheduler} that syncs the dags folder.
 */
public final class DagProcessorJob implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DagProcessorJob.class);

  private final JobRepository jobs;
  private final Clock clock;
  private final long id;
  private final ScheduledExecutorService beats;
  private boolean closed;

  private DagProcessorJob(JobRepository jobs, Clock clock, long id) {
    this.jobs = jobs;
    this.clock = clock;
    this.id = id;
    this.beats =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("dag-processor-heartbeat").factory());
  }

  /**
   * Registers the job and heartbeats it every {@code every}; {@code ended} runs once if another
   * process ends the job meanwhile (the heartbeat then stops).
   */
  public static DagProcessorJob start(Database db, Clock clock, Duration every, Runnable ended) {
    JobRepository jobs = new JobRepository(db);
    long id =
        jobs.register(
            JobType.DAG_PROCESSOR,
            Hostname.ofThisMachine(),
            (int) ProcessHandle.current().pid(),
            clock.instant());
    DagProcessorJob job = new DagProcessorJob(jobs, clock, id);
    job.beats.scheduleWithFixedDelay(
        () -> job.beat(ended), every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    return job;
  }

  /**
   * How often to heartbeat: every 5 s (the scheduler's and triggerer's interval), or a third of the
   * health threshold when that is shorter, so a live processor is never reported unhealthy.
   */
  public static Duration heartbeatEvery(Duration healthThreshold) {
    Duration third = healthThreshold.dividedBy(3);
    return third.compareTo(Duration.ofSeconds(5)) < 0 ? third : Duration.ofSeconds(5);
  }

  public long id() {
    return id;
  }

  private void beat(Runnable ended) {
    try {
      if (!jobs.heartbeat(id, clock.instant())) {
        log.error("dag_processor job {} was ended by another process; no more heartbeats", id);
        beats.shutdown();
        ended.run();
      }
    } catch (RuntimeException e) {
      log.warn("heartbeat of dag_processor job {} failed: {}", id, e.getMessage());
    }
  }

  /** Stops the heartbeat and ends the job as success (before the database closes). */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    beats.shutdownNow();
    try {
      beats.awaitTermination(5, TimeUnit.SECONDS);
      jobs.finish(id, true, clock.instant());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warn("could not record the end of dag_processor job {}: {}", id, e.getMessage());
    }
  }
}
