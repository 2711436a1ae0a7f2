package io.updraft.worker.remote;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A remote worker's own life through the API server: its {@code worker} job row (decisions/0169),
 * registered at start, heart-beaten every {@link #EVERY} and ended at its stop — registered again
 * when the API judged it dead after a silence — and its token, exchanged for a fresh one once half
 * its lifetime has passed (decisions/0168), so a worker runs for longer than a token lives.
 */
final class WorkerJob {
  private static final Logger log = LoggerFactory.getLogger(WorkerJob.class);

  /** How often the job heartbeats and the token's age is checked (Airflow's job_heartbeat_sec). */
  static final Duration EVERY = Duration.ofSeconds(5);

  private final ExecutionClient client;
  private final AtomicReference<String> token;
  private final String hostname;
  private final int pid;
  private final List<String> queues;
  private final int concurrency;
  private final Clock clock;
  private volatile long id;
  private volatile boolean ended;

  WorkerJob(
      ExecutionClient client,
      String token,
      String hostname,
      int pid,
      List<String> queues,
      int concurrency,
      Clock clock) {
    this.client = client;
    this.token = new AtomicReference<>(token);
    this.hostname = hostname;
    this.pid = pid;
    this.queues = queues;
    this.concurrency = concurrency;
    this.clock = clock;
  }

  /** The worker's token now. */
  String token() {
    return token.get();
  }

  /** The job's id; 0 until it is registered. */
  long id() {
    return id;
  }

  /** One beat: registers or heartbeats the job, then renews the token when it is due. */
  synchronized void beat() {
    if (ended) {
      return;
    }
    try {
      if (id == 0) {
        id = client.registerWorker(token.get(), hostname, pid, queues, concurrency);
        log.info("registered as worker job {}", id);
      } else {
        client.heartbeatWorker(token.get(), id);
      }
    } catch (ExecutionClient.Refused e) {
      if (e.status() == 404 || e.status() == 409) {
        log.warn("worker job {} ended without us ({}): registering again", id, e.detail());
        id = 0;
      } else {
        log.warn("worker job heartbeat failed: {}", e.getMessage());
      }
    } catch (RuntimeException e) {
      log.warn("worker job heartbeat failed: {}", e.getMessage());
    }
    renewIfDue();
  }

  private void renewIfDue() {
    Instant[] life = life(token.get());
    if (life == null) {
      return;
    }
    Duration lifetime = Duration.between(life[0], life[1]);
    if (clock.instant().isBefore(life[0].plus(lifetime.dividedBy(2)))) {
      return;
    }
    try {
      String fresh = client.renewToken(token.get());
      if (fresh != null && !fresh.isEmpty()) {
        token.set(fresh);
        log.info("worker token renewed (it expired at {})", life[1]);
      }
    } catch (RuntimeException e) {
      log.warn("cannot renew the worker token, which expires at {}: {}", life[1], e.getMessage());
    }
  }

  /** Ends the job as the worker stops. */
  synchronized void end() {
    ended = true;
    if (id == 0) {
      return;
    }
    try {
      client.endWorker(token.get(), id);
    } catch (RuntimeException e) {
      log.warn("cannot end worker job {}: {}", id, e.getMessage());
    }
  }

  /** A JWT's issue and expiry times (not verified: the API server does that); null without. */
  static Instant[] life(String jwt) {
    String[] parts = jwt.split("\\.");
    if (parts.length != 3) {
      return null;
    }
    try {
      JsonNode claims =
          ExecutionClient.JSON.readTree(
              new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
      if (!claims.path("iat").isNumber() || !claims.path("exp").isNumber()) {
        return null;
      }
      return new Instant[] {
        Instant.ofEpochSecond(claims.get("iat").asLong()),
        Instant.ofEpochSecond(claims.get("exp").asLong())
      };
    } catch (IllegalArgumentException | java.io.IOException e) {
      return null;
    }
  }
}
