package io.updraft.worker.remote;

import com.fasterxml.jackson.databind.JsonNode;
import io.updraft.UpdraftException;
import io.updraft.worker.Cancellation;
import io.updraft.worker.RunnerSettings;
import io.updraft.worker.TryLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * {@code updraft tasks run}: the one try a task token names (SPEC §2.3, what a Kubernetes pod
 * runs), started through {@code PATCH /execution/task-instances/{id}/run} and then run as a remote
 * worker runs a try ({@link RemoteTry}): the run's stored DAG version from the API, heartbeats, the
 * log shipped, the end reported. {@link #stop} ends it as a stopping worker does: the try's process
 * tree gets SIGTERM, SIGKILL after the grace, and the try is handed back.
 */
public final class SingleTry {
  /** How the try ended, for the exit code. */
  public enum Outcome {
    /** success, skipped, deferred or rescheduled: the try ended as its task meant. */
    ENDED,
    /** failed or up for retry, or its end could not be reported. */
    FAILED,
    /** stopped before its end and handed back, to run again at once. */
    HANDED_BACK
  }

  /** The task instance the command line names. */
  public record Target(String dagId, String runId, String taskId, int mapIndex) {}

  private static final Set<String> ENDED_STATES =
      Set.of("success", "skipped", "deferred", "up_for_reschedule");

  private final RemoteTry remote;
  private final ScheduledExecutorService timers;
  private final Path log;
  private volatile Cancellation stopping;

  private SingleTry(RemoteTry remote, ScheduledExecutorService timers, Path log) {
    this.remote = remote;
    this.timers = timers;
    this.log = log;
  }

  /**
   * Starts the try {@code taskToken} names, refusing unless its task instance is {@code target}.
   *
   * @param logsRoot where the try writes its log before it is shipped
   * @throws UpdraftException a one-line reason when the token is not a task token, or the API
   *     server refuses to start the try (another task instance, not queued, expired token)
   */
  public static SingleTry start(
      ExecutionClient client,
      String taskToken,
      Target target,
      String hostname,
      Path logsRoot,
      RunnerSettings runner,
      Duration heartbeatTimeout,
      Clock clock) {
    long id = taskInstanceOf(taskToken);
    long sent = System.nanoTime();
    JsonNode workload =
        client.run(
            taskToken,
            id,
            hostname,
            (int) ProcessHandle.current().pid(),
            target.dagId(),
            target.runId(),
            target.taskId(),
            target.mapIndex());
    ScheduledExecutorService timers =
        Executors.newScheduledThreadPool(
            1, Thread.ofPlatform().daemon().name("try-heartbeats").factory());
    JsonNode ti = workload.get("task_instance");
    return new SingleTry(
        new RemoteTry(
            new RemoteTry.Context(client, null, logsRoot, runner, clock, heartbeatTimeout, timers),
            workload,
            sent),
        timers,
        TryLog.path(
            logsRoot,
            ti.path("dag_id").asText(),
            ti.path("run_id").asText(),
            ti.path("task_id").asText(),
            ti.path("try_number").asInt()));
  }

  /** The try's log on this machine (also shipped to the API server). */
  public Path log() {
    return log;
  }

  /** Runs the try to its end and reports it. */
  public Outcome run() {
    try {
      JsonNode end = remote.run(() -> stopping);
      if (end == null) {
        return Outcome.FAILED;
      }
      if (end.path("handed_back").asBoolean()) {
        return Outcome.HANDED_BACK;
      }
      return ENDED_STATES.contains(end.path("state").asText()) ? Outcome.ENDED : Outcome.FAILED;
    } finally {
      timers.shutdownNow();
    }
  }

  /** Stops the try: SIGTERM to its process tree now, SIGKILL after {@code grace}; handed back. */
  public void stop(Duration grace) {
    Cancellation stop = new Cancellation("the task run is stopping", grace);
    stopping = stop;
    remote.cancel.complete(stop);
  }

  /** The task instance a task token names (read here, verified by the API server). */
  static long taskInstanceOf(String token) {
    String[] parts = token.strip().split("\\.");
    try {
      if (parts.length == 3) {
        JsonNode claims =
            ExecutionClient.JSON.readTree(
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        if (claims.path("sub").isTextual() && claims.has("try")) {
          return Long.parseLong(claims.path("sub").asText());
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      // falls through to the error below
    }
    throw new UpdraftException(
        "UPDRAFT_TASK_TOKEN is not a task token: it must be the token the executor made for this"
            + " try");
  }
}
