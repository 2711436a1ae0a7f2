package io.updraft.worker.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.updraft.connections.Lookups;
import io.updraft.dag.Dag;
import io.updraft.dag.Task;
import io.updraft.executor.LocalExecutor;
import io.updraft.executor.TryRunner;
import io.updraft.executor.WorkerTryRunner;
import io.updraft.serde.DagSerializer;
import io.updraft.state.DagRunState;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.DagRunRow;
import io.updraft.store.RunType;
import io.updraft.store.TaskInstanceRow;
import io.updraft.worker.BundleCache;
import io.updraft.worker.Cancellation;
import io.updraft.worker.Downstream;
import io.updraft.worker.Durations;
import io.updraft.worker.Pause;
import io.updraft.worker.RunnerSettings;
import io.updraft.worker.SlowStart;
import io.updraft.worker.StartGate;
import io.updraft.worker.TryLog;
import io.updraft.worker.operators.OperatorServices;
import io.updraft.worker.template.PreviousSuccess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One try of a workload the API server handed out, run as the local executor runs one (the same
 * {@link WorkerTryRunner}: templates, shell processes, in-JVM operators) with everything it reads
 * fetched through the execution API: heartbeated, its log shipped, its end reported with its task
 * token.
 */
final class RemoteTry {
  private static final Logger log = LoggerFactory.getLogger(RemoteTry.class);

  /**
   * What a remote try needs beside its workload.
   *
   * @param workerToken the worker's own token, for code bundles; null: the try's task token
   */
  record Context(
      ExecutionClient client,
      String workerToken,
      Path logsRoot,
      RunnerSettings settings,
      Clock clock,
      Duration heartbeatTimeout,
      ScheduledExecutorService timers) {
    /** How often a try heartbeats: as a local try of this heartbeat timeout. */
    Duration heartbeatEvery() {
      return LocalExecutor.heartbeatEvery(heartbeatTimeout);
    }

    /**
     * How long a try runs on without a heartbeat the API server took (decisions/0165): stopped
     * then, its tree killed within one heartbeat interval, it is gone before the scheduler can take
     * it for dead (a heartbeat older than the timeout) and start its retry.
     */
    Duration fenceAfter() {
      Duration every = heartbeatEvery();
      Duration d = heartbeatTimeout.minus(every.multipliedBy(3));
      return d.compareTo(every) < 0 ? every : d;
    }
  }

  private final Context c;
  private final JsonNode workload;
  private final AtomicReference<String> token;
  final CompletableFuture<Cancellation> cancel = new CompletableFuture<>();
  final long taskInstanceId;

  /**
   * When the last heartbeat the API server took was sent (System.nanoTime); first, when the claim
   * that handed the try out was sent.
   */
  private final AtomicLong confirmedAt;

  private final AtomicBoolean beating = new AtomicBoolean();

  /**
   * Set when the start gate let the try start: the fence guards a started try only — before that
   * there is nothing to stop, and the gate itself decides (a claim that waited in a long poll may
   * be older than the fence's delay when it arrives).
   */
  private volatile boolean started;

  /**
   * @param claimSentAt when the claim (or {@code run}) that handed the try out was sent, as {@link
   *     System#nanoTime}: the API server wrote the try's first heartbeat after that
   */
  RemoteTry(Context c, JsonNode workload, long claimSentAt) {
    this.c = c;
    this.confirmedAt = new AtomicLong(claimSentAt);
    this.workload = workload;
    this.token = new AtomicReference<>(workload.path("token").asText());
    this.taskInstanceId = workload.at("/task_instance/id").asLong();
  }

  /**
   * Runs the try to its end and reports it; {@code stop} is the cancellation a stopping worker
   * gives every try (a try it ended is handed back). Returns the end's answer, or null if it could
   * not be reported.
   */
  JsonNode run(java.util.function.Supplier<Cancellation> stop) {
    TaskInstanceRow ti = taskInstance(workload.get("task_instance"));
    SlowStart.hold(ti.tryNumber());
    DagRunRow run = dagRun(workload.get("dag_run"));
    TryRunner.Result result;
    LogShipper shipper =
        new LogShipper(
            TryLog.path(c.logsRoot(), ti.dagId(), ti.runId(), ti.taskId(), ti.tryNumber()),
            c.client(),
            taskInstanceId);
    ScheduledFuture<?> beat =
        c.timers()
            .scheduleAtFixedRate(
                () -> tick(shipper),
                c.heartbeatEvery().toMillis(),
                c.heartbeatEvery().toMillis(),
                TimeUnit.MILLISECONDS);
    try {
      Dag dag = DagSerializer.fromJson(workload.get("dag").toString());
      Task task =
          dag.task(ti.taskId())
              .orElseThrow(
                  () -> new IllegalStateException("task " + ti.taskId() + " is not in its DAG"));
      result =
          runner(workload)
              .run(new TryRunner.Request(dag, task, run, ti, fileloc(), cancel, this::confirm));
    } catch (Exception e) {
      result = TryRunner.Result.failed(e.toString());
    } finally {
      beat.cancel(false);
    }
    Cancellation cancelled = cancel.getNow(null);
    boolean handedBack = cancelled != null && cancelled == stop.get();
    // With the log's last piece; again while the API server is away (a restart).
    return shipper.endRetrying(token::get, endBody(result, handedBack), c.heartbeatTimeout());
  }

  /** Hands the try back unrun (the worker is stopping); whether the API took it back. */
  boolean handBack() {
    try {
      return c.client()
          .end(
              token.get(),
              taskInstanceId,
              endBody(TryRunner.Result.failed("the worker is stopping"), true))
          .path("handed_back")
          .asBoolean();
    } catch (RuntimeException e) {
      log.warn("could not hand back task instance {}: {}", taskInstanceId, e.getMessage());
      return false;
    }
  }

  /**
   * On the worker's one timer thread, so it never blocks: the fence first, then a heartbeat on a
   * thread of its own unless the last one is still waiting for its answer (an API server that hangs
   * must hold back neither the fence nor the other tries' heartbeats).
   */
  private void tick(LogShipper shipper) {
    fenceIfUnheard();
    if (beating.compareAndSet(false, true)) {
      Thread.ofVirtual()
          .name("heartbeat-" + taskInstanceId)
          .start(
              () -> {
                try {
                  beat(shipper);
                } finally {
                  beating.set(false);
                }
              });
    }
  }

  /** A heartbeat: renews the token, or stops the try when the API says so; ships the log. */
  private void beat(LogShipper shipper) {
    long sent = System.nanoTime();
    try {
      token.set(c.client().heartbeat(token.get(), taskInstanceId, c.fenceAfter()));
      confirmed(sent);
    } catch (ExecutionClient.Refused e) {
      if (e.status() == 409) {
        String reason = e.getMessage().replaceFirst("^.*?: 409 ", "");
        cancel.complete(Cancellation.of(reason));
      } else {
        log.warn("heartbeat of task instance {}: {}", taskInstanceId, e.getMessage());
      }
    } catch (RuntimeException e) {
      log.warn("heartbeat of task instance {}: {}", taskInstanceId, e.getMessage());
    }
    shipper.ship(token.get());
  }

  /**
   * The try's {@link StartGate} (decisions/0172), right before it starts its process or operator:
   * confirmed within the last heartbeat interval (its claim, usually, a few milliseconds ago), it
   * starts, and the fence stops it in time if its heartbeats stop; otherwise a heartbeat first, on
   * this thread: it starts only if the API server takes it — the try is still running, on this try
   * number — and the fence counts from then. A claim held up longer than the heartbeat timeout (a
   * loaded worker) finds its try failed and its retry begun, and starts nothing.
   */
  private Cancellation confirm() {
    if (System.nanoTime() - confirmedAt.get() < c.heartbeatEvery().toNanos()) {
      started = true;
      return null;
    }
    long sent = System.nanoTime();
    try {
      token.set(c.client().heartbeat(token.get(), taskInstanceId, c.fenceAfter()));
      confirmed(sent);
      started = true;
      return null;
    } catch (ExecutionClient.Refused e) {
      String reason = e.getMessage().replaceFirst("^.*?: 409 ", "");
      log.warn("try of task instance {} not started: {}", taskInstanceId, reason);
      return Cancellation.of("not started: " + reason);
    } catch (RuntimeException e) {
      log.warn("try of task instance {} not started: {}", taskInstanceId, e.getMessage());
      return Cancellation.of(
          "not started: the API server did not confirm the try is still this worker's: "
              + e.getMessage());
    }
  }

  /** A heartbeat sent at {@code sent} was taken; an older one answered late changes nothing. */
  private void confirmed(long sent) {
    confirmedAt.accumulateAndGet(sent, (was, now) -> now - was > 0 ? now : was);
  }

  /**
   * Stops the try when no heartbeat has reached the API server for {@link Context#fenceAfter}: the
   * scheduler is about to fail it and start its retry, which must not run beside this one.
   */
  private void fenceIfUnheard() {
    if (cancel.isDone() || !started) {
      return;
    }
    Duration unheard = Duration.ofNanos(System.nanoTime() - confirmedAt.get());
    if (unheard.compareTo(c.fenceAfter()) >= 0) {
      cancel.complete(
          new Cancellation(
              "no heartbeat reached the API server for "
                  + Durations.human(unheard)
                  + ": stopped before the scheduler takes it for dead and retries it",
              c.heartbeatEvery()));
    }
  }

  /** The DAG file's folder, when this machine has it (a shell task runs there); null otherwise. */
  private String fileloc() {
    JsonNode f = workload.get("fileloc");
    if (f == null || f.isNull()) {
      return null;
    }
    Path p = Path.of(f.asText());
    return p.getParent() != null && Files.isDirectory(p.getParent()) ? f.asText() : null;
  }

  private WorkerTryRunner runner(JsonNode w) {
    ExecutionClient client = c.client();
    JsonNode prev = w.get("previous_success");
    PreviousSuccess previous =
        prev == null || prev.isNull()
            ? PreviousSuccess.none()
            : new PreviousSuccess(
                instant(prev, "data_interval_start"),
                instant(prev, "data_interval_end"),
                instant(prev, "start_date"));
    Instant firstCheck = instant(w, "first_check");
    return new WorkerTryRunner(
        (dagId, runId, taskId, key) -> client.xcom(token.get(), dagId, runId, taskId, key),
        new BundleCache(
            c.logsRoot().resolveSibling("bundles"),
            hash -> client.bundle(c.workerToken() != null ? c.workerToken() : token.get(), hash)),
        Lookups.of(
            c.settings().baseEnv(),
            id -> client.connection(token.get(), id),
            key -> client.variable(token.get(), key)),
        c.logsRoot(),
        c.settings(),
        new OperatorServices(new RemoteDagRuns(client, token::get)),
        c.clock(),
        (dagId, logicalDate) -> previous,
        (id, tryNumber) -> Optional.ofNullable(firstCheck));
  }

  static ObjectNode endBody(TryRunner.Result r, boolean handedBack) {
    ObjectNode b = ExecutionClient.JSON.createObjectNode();
    b.put("state", r.state().id());
    if (r.returnValueJson() != null) {
      try {
        b.set("return_value", ExecutionClient.JSON.readTree(r.returnValueJson()));
      } catch (IOException e) {
        b.put("return_value", r.returnValueJson());
      }
    }
    if (r.error() != null) {
      b.put("error", r.error());
    }
    if (!r.retryable()) {
      b.put("retryable", false);
    }
    switch (r.downstream()) {
      case Downstream.Follow f -> b.putPOJO("follow_task_ids", f.taskIds());
      case Downstream.SkipAll s -> b.put("skip_downstream", true);
      default -> {}
    }
    if (r.pause() instanceof Pause.Reschedule re) {
      b.put("reschedule_date", re.at().toString());
    } else if (r.pause() instanceof Pause.Defer d) {
      ObjectNode t = b.putObject("trigger");
      t.put("kind", d.kind());
      try {
        t.set("kwargs", ExecutionClient.JSON.readTree(d.kwargsJson()));
      } catch (IOException e) {
        t.put("kwargs", d.kwargsJson());
      }
      if (d.timeoutAt() != null) {
        t.put("timeout", d.timeoutAt().toString());
      }
    }
    if (handedBack) {
      b.put("handed_back", true);
    }
    return b;
  }

  private static Instant instant(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : Instant.parse(v.asText());
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  static TaskInstanceRow taskInstance(JsonNode t) {
    return new TaskInstanceRow(
        t.get("id").asLong(),
        text(t, "dag_id"),
        text(t, "run_id"),
        text(t, "task_id"),
        t.path("map_index").asInt(-1),
        TaskInstanceState.RUNNING,
        t.get("try_number").asInt(),
        t.path("max_tries").asInt(),
        t.path("priority_weight").asInt(),
        text(t, "pool"),
        t.path("pool_slots").asInt(1),
        text(t, "queue"),
        text(t, "operator"),
        instant(t, "start_date"),
        null,
        null,
        null,
        null,
        instant(t, "queued_dttm"),
        null,
        null,
        null,
        null);
  }

  static DagRunRow dagRun(JsonNode r) {
    return new DagRunRow(
        r.get("id").asLong(),
        text(r, "dag_id"),
        text(r, "run_id"),
        RunType.valueOf(text(r, "run_type")),
        DagRunState.valueOf(text(r, "state")),
        instant(r, "logical_date"),
        instant(r, "data_interval_start"),
        instant(r, "data_interval_end"),
        instant(r, "run_after"),
        null,
        instant(r, "start_date"),
        null,
        r.path("external_trigger").asBoolean(),
        text(r, "conf"),
        text(r, "dag_hash"),
        null,
        null,
        r.path("clear_number").asInt());
  }
}
