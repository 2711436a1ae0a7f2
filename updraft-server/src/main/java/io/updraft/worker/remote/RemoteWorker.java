package io.updraft.worker.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.updraft.worker.Cancellation;
import io.updraft.worker.RunnerSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code updraft worker}: claims task instances of its queues from the API server and runs up to
 * {@code concurrency} tries at once (decisions/0148). Its claims are long polls the API server
 * answers the moment a task is queued. {@link #stop} ends it as the local executor's stop does: no
 * more claims, every running try's process tree gets SIGTERM at once and SIGKILL after the grace,
 * and each try ended so is handed back, to run again at once at no cost to its retries.
 */
public final class RemoteWorker {
  private static final Logger log = LoggerFactory.getLogger(RemoteWorker.class);

  /** How long one claim waits for work; a queued task answers it at once. */
  static final Duration CLAIM_WAIT = Duration.ofSeconds(2);

  /**
   * @param logsRoot where tries write their logs on this machine before they are shipped
   * @param heartbeatTimeout the scheduler's {@code task_instance_heartbeat_timeout}: a try
   *     heartbeats a tenth as often, and stops when none reached the API server for most of it
   */
  public record Settings(
      List<String> queues,
      int concurrency,
      String hostname,
      Path logsRoot,
      RunnerSettings runner,
      Duration heartbeatTimeout) {}

  private final ExecutionClient client;
  private final WorkerJob job;
  private final Settings settings;
  private final Clock clock;
  private final Semaphore slots;
  private final ExecutorService tries =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("remote-try-", 0).factory());
  private final ScheduledExecutorService timers =
      Executors.newScheduledThreadPool(
          1, Thread.ofPlatform().daemon().name("try-heartbeats").factory());
  private final ScheduledExecutorService jobBeats =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("worker-job").factory());
  private final Map<Long, RemoteTry> running = new ConcurrentHashMap<>();
  private final AtomicInteger handedBack = new AtomicInteger();
  private final int pid = (int) ProcessHandle.current().pid();
  private volatile Cancellation stopping;
  private volatile boolean claiming;

  public RemoteWorker(ExecutionClient client, String token, Settings settings, Clock clock) {
    this.client = client;
    this.settings = settings;
    this.clock = clock;
    this.slots = new Semaphore(settings.concurrency());
    this.job =
        new WorkerJob(
            client,
            token,
            settings.hostname(),
            pid,
            settings.queues(),
            settings.concurrency(),
            clock);
  }

  /** Claims and runs tries until {@link #stop}; returns when it stops claiming. */
  public void run() {
    Duration backoff = Duration.ofMillis(250);
    jobBeats.scheduleWithFixedDelay(
        job::beat, 0, WorkerJob.EVERY.toMillis(), TimeUnit.MILLISECONDS);
    try {
      while (stopping == null) {
        slots.acquire();
        int free = 1 + slots.drainPermits();
        if (stopping != null) {
          slots.release(free);
          break;
        }
        List<JsonNode> claimed;
        claiming = true;
        long sent = System.nanoTime();
        try {
          claimed =
              client.claim(
                  job.token(), settings.queues(), settings.hostname(), pid, free, CLAIM_WAIT);
          backoff = Duration.ofMillis(250);
        } catch (ExecutionClient.Refused e) {
          claiming = false;
          slots.release(free);
          if (e.status() == 401 || e.status() == 403) {
            throw e; // the token will not get better by waiting
          }
          log.warn("claiming failed: {}; again in {} ms", e.getMessage(), backoff.toMillis());
          sleep(backoff);
          backoff =
              backoff.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0
                  ? Duration.ofSeconds(10)
                  : backoff.multipliedBy(2);
          continue;
        } catch (RuntimeException e) {
          claiming = false;
          slots.release(free);
          log.warn("claiming failed: {}; again in {} ms", e.getMessage(), backoff.toMillis());
          sleep(backoff);
          backoff = Duration.ofSeconds(Math.min(10, backoff.toSeconds() * 2 + 1));
          continue;
        }
        claiming = false;
        slots.release(free - claimed.size());
        for (JsonNode w : claimed) {
          start(w, sent);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      claiming = false;
    }
  }

  private void start(JsonNode workload, long claimSentAt) {
    RemoteTry t =
        new RemoteTry(
            new RemoteTry.Context(
                client,
                job.token(),
                settings.logsRoot(),
                settings.runner(),
                clock,
                settings.heartbeatTimeout(),
                timers),
            workload,
            claimSentAt);
    if (stopping != null) {
      // Claimed as the stop came: handed back without running.
      try {
        if (t.handBack()) {
          handedBack.incrementAndGet();
        }
      } finally {
        slots.release();
      }
      return;
    }
    running.put(t.taskInstanceId, t);
    tries.execute(
        () -> {
          try {
            JsonNode end = t.run(() -> stopping);
            if (end != null && end.path("handed_back").asBoolean()) {
              handedBack.incrementAndGet();
            }
          } finally {
            running.remove(t.taskInstanceId);
            slots.release();
          }
        });
  }

  /** Tries running now. */
  public int runningTries() {
    return running.size();
  }

  /**
   * Stops: no more claims; every running try gets SIGTERM now and SIGKILL after {@code grace} and
   * is handed back; waits for each try's end to be reported, within a bound. Returns how many were
   * handed back.
   */
  public int stop(Duration grace) {
    Cancellation stop = new Cancellation("the worker is stopping", grace);
    stopping = stop;
    try {
      // Let a claim under way answer first (at most CLAIM_WAIT): otherwise it could take back the
      // very tries handed back below. What it brings is handed back unrun.
      long until = System.nanoTime() + CLAIM_WAIT.plusSeconds(3).toNanos();
      while (claiming && System.nanoTime() < until) {
        Thread.sleep(10);
      }
      running.values().forEach(t -> t.cancel.complete(stop));
      tries.shutdown();
      Duration bound = grace.multipliedBy(2).plusSeconds(10);
      if (!tries.awaitTermination(bound.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn(
            "{} try(s) did not end within {}: left to the task heartbeat timeout",
            running.size(),
            bound);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    timers.shutdownNow();
    jobBeats.shutdownNow();
    job.end();
    return handedBack.get();
  }

  private static void sleep(Duration d) throws InterruptedException {
    Thread.sleep(d.toMillis());
  }
}
