package io.updraft.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.updraft.UpdraftException;
import io.updraft.connections.Connection;
import io.updraft.connections.FernetKeys;
import io.updraft.connections.Lookups;
import io.updraft.connections.SecretMasker;
import io.updraft.dag.Dag;
import io.updraft.dag.Task;
import io.updraft.executor.DatabaseDagRuns;
import io.updraft.executor.TryRecorder;
import io.updraft.executor.TryRunner;
import io.updraft.scheduler.DagVersions;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.ChangeSignals;
import io.updraft.store.DagBundleRepository;
import io.updraft.store.DagRunRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.Database;
import io.updraft.store.DuplicateDagRunException;
import io.updraft.store.SerializedDagRepository;
import io.updraft.store.TaskInstanceClaims;
import io.updraft.store.TaskInstanceDeferrals;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import io.updraft.store.TaskInstanceTries;
import io.updraft.store.XComRepository;
import io.updraft.worker.Downstream;
import io.updraft.worker.Pause;
import io.updraft.worker.SafePaths;
import io.updraft.worker.TryLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The execution API (decisions/0148): what a remote worker ({@code updraft worker}) or a pod
 * ({@code updraft tasks run}) calls instead of holding the metadata database's credentials, named
 * as Airflow 3's {@code /execution} routes where they map. A worker's token (a user with role
 * Worker, or Admin) claims queued task instances of its queues; each claimed try comes with a task
 * token ({@link TaskTokens}) that may heartbeat, ship the log of, push XComs of and end only that
 * try. Starts and ends go through {@link TryRecorder}, the code the local executor records with.
 */
final class ExecutionRoutes {
  private static final Logger log = LoggerFactory.getLogger(ExecutionRoutes.class);
  static final String BASE = "/execution";
  private static final String TI = BASE + "/task-instances/{task_instance_id}";
  private static final String XCOM = BASE + "/xcoms/{dag_id}/{run_id}/{task_id}/{key}";
  static final int MAX_CLAIM = 64;
  static final double MAX_WAIT_SECONDS = 60;

  private ExecutionRoutes() {}

  /**
   * @param queues the queues the worker takes task instances of
   * @param hostname the worker's host, recorded as the try's
   * @param pid the worker's process id, recorded as the try's (default 0)
   * @param limit at most this many task instances (default 1, at most 64)
   * @param waitSeconds how long to wait for one when none is queued (default 0, at most 60)
   */
  public record ClaimBody(
      List<String> queues, String hostname, Integer pid, Integer limit, Double waitSeconds) {}

  /**
   * What a pod that starts the try it was made for sends ({@code PATCH .../run}).
   *
   * @param dagId when given (with the run, task and map index), the task instance the caller means:
   *     the try does not start unless the token's task instance is that one
   */
  public record RunBody(
      String hostname, Integer pid, String dagId, String runId, String taskId, Integer mapIndex) {}

  /** The task instance of a workload, as claimed: {@code try_number} is the try to run. */
  public record TaskInstanceBody(
      long id,
      String dagId,
      String runId,
      String taskId,
      int mapIndex,
      int tryNumber,
      int maxTries,
      String queue,
      String pool,
      int poolSlots,
      int priorityWeight,
      String operator,
      String startDate,
      String queuedDttm) {}

  public record DagRunBody(
      long id,
      String dagId,
      String runId,
      String runType,
      String state,
      String logicalDate,
      String dataIntervalStart,
      String dataIntervalEnd,
      String runAfter,
      String startDate,
      boolean externalTrigger,
      String conf,
      String dagHash,
      int clearNumber) {}

  /** The latest successful run before this one, for {@code prev_*_success}. */
  public record PreviousSuccessBody(
      String dataIntervalStart, String dataIntervalEnd, String startDate) {}

  /**
   * One try to run: its task instance, run, the run's DAG version (serialized), and the task token
   * for everything the try does next.
   *
   * @param firstCheck when a reschedule-mode sensor's try made its first check; null otherwise
   */
  public record Workload(
      String token,
      TaskInstanceBody taskInstance,
      DagRunBody dagRun,
      JsonNode dag,
      String fileloc,
      PreviousSuccessBody previousSuccess,
      String firstCheck) {}

  public record Claimed(List<Workload> workloads) {}

  /**
   * @param tryNumber the try (needed with a worker's token; a task token names its own)
   */
  public record HeartbeatBody(Integer tryNumber, String hostname, Integer pid) {}

  /** A heartbeat's answer: the try goes on, with its task token renewed. */
  public record HeartbeatResponse(String token) {}

  /**
   * How a try ended.
   *
   * @param state success, failed, skipped, up_for_reschedule or deferred
   * @param returnValue the try's return value (XCom {@code return_value}), any JSON
   * @param retryable false: a failure that is not retried (a sensor's timeout); default true
   * @param followTaskIds a branch's choice: the direct downstream tasks to follow
   * @param skipDownstream a short circuit: skip every downstream task
   * @param rescheduleDate up_for_reschedule: when to check again
   * @param trigger deferred: the wait the triggerer takes over
   * @param handedBack the worker was stopping and ended the try: run it again at once, at no cost
   *     to its retries
   * @param log the last piece of the try's log (decisions/0181): stored before the end is recorded,
   *     and the end is refused (nothing recorded) when it cannot be
   */
  public record StateBody(
      String state,
      Integer tryNumber,
      JsonNode returnValue,
      String error,
      Boolean retryable,
      List<String> followTaskIds,
      Boolean skipDownstream,
      String rescheduleDate,
      TriggerBody trigger,
      Boolean handedBack,
      LogPiece log) {}

  /** Bytes of a try's log from byte {@code offset} on, as {@link LogBody} carries them. */
  public record LogPiece(Long offset, String text) {}

  public record TriggerBody(String kind, JsonNode kwargs, String timeout) {}

  /**
   * @param state the state the try ended its instance in; null when it paused, was handed back or
   *     its instance had moved on
   * @param logSize the size of the try's log once the end's piece was stored; null without one
   */
  public record StateResponse(String state, boolean handedBack, Long logSize) {}

  /**
   * Bytes of the try's log from byte {@code offset} on: sending the same piece again is harmless.
   */
  public record LogBody(Integer tryNumber, Long offset, String text) {}

  public record LogResponse(long size) {}

  public record XComBody(JsonNode value) {}

  public record XComValue(String key, JsonNode value) {}

  public record ConnectionBody(
      String connId,
      String connType,
      String host,
      String schema,
      String login,
      String password,
      Integer port,
      Map<String, Object> extra) {}

  public record VariableBody(String key, String value) {}

  public record BundleBody(String hash, String content) {}

  /**
   * A manual run of another DAG, as {@code trigger_dag} creates it (SPEC §1.3).
   *
   * @param runId null: {@code manual__<logical date>}
   * @param logicalDate the run's logical date (ISO-8601); null: now
   * @param conf the run's conf, a JSON object or null
   * @param taskInstanceId the triggering try's task instance (needed with a worker's token; a task
   *     token names its own)
   * @param tryNumber the triggering try (needed with a worker's token)
   */
  public record TriggerRunBody(
      String runId, String logicalDate, JsonNode conf, Long taskInstanceId, Integer tryNumber) {}

  public record TriggeredRun(String dagId, String runId, String logicalDate) {}

  public record RunStateBody(String dagId, String runId, String state) {}

  /** What the routes share. */
  private record Deps(
      Database db,
      Clock clock,
      TaskTokens taskTokens,
      ClaimWaits waits,
      Path logsRoot,
      FernetKeys keys,
      TaskInstanceRepository taskInstances,
      TaskInstanceTries tries,
      DagRunRepository runs,
      DagVersions versions,
      WorkloadDags workloadDags,
      TryRecorder recorder,
      Runnable announceEnd,
      Runnable announceTaskEnd) {}

  static List<Route> routes(
      Database db,
      Clock clock,
      TaskTokens taskTokens,
      ClaimWaits waits,
      Path logsRoot,
      FernetKeys keys) {
    Deps d =
        new Deps(
            db,
            clock,
            taskTokens,
            waits,
            logsRoot,
            keys,
            new TaskInstanceRepository(db),
            new TaskInstanceTries(db),
            new DagRunRepository(db),
            new DagVersions(new SerializedDagRepository(db)),
            new WorkloadDags(new SerializedDagRepository(db), WorkloadDags.MAX_CHARS),
            new TryRecorder(db),
            ChangeSignals.changes(db),
            ChangeSignals.taskEnds(db));
    return List.of(
        Route.post(
            BASE + "/task-instances/claim",
            Role.WORKER,
            "Claim queued task instances",
            ClaimBody.class,
            Claimed.class,
            (ctx, caller) -> claim(d, ctx, caller)),
        Route.patch(
            TI + "/run",
            Role.WORKER,
            "Start a queued task instance's try",
            RunBody.class,
            Workload.class,
            (ctx, caller) -> run(d, ctx, caller)),
        new Route(
            HandlerType.PUT,
            TI + "/heartbeat",
            Role.WORKER,
            "Heartbeat a running try",
            List.of(),
            HeartbeatBody.class,
            HeartbeatResponse.class,
            200,
            (ctx, caller) -> heartbeat(d, ctx, caller)),
        Route.patch(
            TI + "/state",
            Role.WORKER,
            "End a running try",
            StateBody.class,
            StateResponse.class,
            (ctx, caller) -> end(d, ctx, caller)),
        Route.post(
            TI + "/logs",
            Role.WORKER,
            "Append to a try's log",
            LogBody.class,
            LogResponse.class,
            (ctx, caller) -> appendLog(d, ctx, caller)),
        Route.get(
                XCOM,
                Role.WORKER,
                "Read an XCom for a try",
                XComValue.class,
                (ctx, caller) -> readXCom(d, ctx))
            .withQuery("map_index", "integer", "the mapped instance (default -1: unmapped)"),
        Route.post(
                XCOM,
                Role.WORKER,
                "Push an XCom of a running try",
                XComBody.class,
                XComValue.class,
                (ctx, caller) -> pushXCom(d, ctx, caller))
            .withQuery("map_index", "integer", "the mapped instance (default -1: unmapped)"),
        Route.get(
            BASE + "/connections/{connection_id}",
            Role.WORKER,
            "Read a connection for a try",
            ConnectionBody.class,
            (ctx, caller) -> connection(d, ctx)),
        Route.get(
            BASE + "/variables/{variable_key}",
            Role.WORKER,
            "Read a variable for a try",
            VariableBody.class,
            (ctx, caller) -> variable(d, ctx)),
        Route.get(
            BASE + "/dag-bundles/{bundle_hash}",
            Role.WORKER,
            "Read a code bundle for a try",
            BundleBody.class,
            (ctx, caller) -> bundle(d, ctx)),
        Route.post(
                BASE + "/dag-runs/{dag_id}",
                Role.WORKER,
                "Trigger a run of a DAG from a running try",
                TriggerRunBody.class,
                TriggeredRun.class,
                (ctx, caller) -> triggerRun(d, ctx, caller))
            .withStatus(201),
        Route.get(
            BASE + "/dag-runs/{dag_id}/{run_id}/state",
            Role.WORKER,
            "Read a DAG run's state for a try",
            RunStateBody.class,
            (ctx, caller) -> runState(d, ctx)));
  }

  // ---- claim and start ----

  private static Claimed claim(Deps d, Context ctx, Caller caller) throws InterruptedException {
    if (caller.task() != null) {
      throw ApiException.forbidden(
          "a task token may not claim task instances: use the worker's token (a user with role"
              + " worker)");
    }
    ClaimBody body = Bodies.read(ctx, ClaimBody.class);
    List<String> queues = queues(body.queues());
    String hostname = hostname(body.hostname());
    int pid = pid(body.pid());
    int limit = body.limit() == null ? 1 : body.limit();
    if (limit < 1 || limit > MAX_CLAIM) {
      throw ApiException.unprocessable(
          "limit: must be between 1 and " + MAX_CLAIM + ", not " + limit);
    }
    double wait = body.waitSeconds() == null ? 0 : body.waitSeconds();
    if (!(wait >= 0 && wait <= MAX_WAIT_SECONDS)) {
      throw ApiException.unprocessable(
          "wait_seconds: must be between 0 and " + (int) MAX_WAIT_SECONDS + ", not " + wait);
    }
    long deadline = System.nanoTime() + (long) (wait * 1e9);
    while (true) {
      long seen = d.waits().generation();
      List<Workload> got = claimOnce(d, queues, limit, hostname, pid);
      long left = deadline - System.nanoTime();
      if (!got.isEmpty() || left <= 0) {
        return new Claimed(got);
      }
      d.waits().await(seen, Duration.ofNanos(left));
    }
  }

  private record Started(TaskInstanceRow ti, DagRunRow run) {}

  private static List<Workload> claimOnce(
      Deps d, List<String> queues, int limit, String hostname, int pid) {
    Instant now = d.clock().instant();
    List<Started> started =
        d.db()
            .inTransaction(
                () -> {
                  List<Started> s = new ArrayList<>();
                  for (long id : new TaskInstanceClaims(d.db()).lockQueued(queues, limit)) {
                    TaskInstanceRow ti = d.taskInstances().get(id).orElse(null);
                    Started one = ti == null ? null : start(d, ti, hostname, pid, now);
                    if (one != null) {
                      s.add(one);
                    }
                  }
                  return s;
                });
    List<Workload> out = new ArrayList<>();
    for (Started s : started) {
      out.add(workload(d, s.ti(), s.run()));
    }
    return out;
  }

  /** Queued to running through {@link TryRecorder#start}; null when it cannot start. */
  private static Started start(Deps d, TaskInstanceRow ti, String hostname, int pid, Instant now) {
    DagRunRow run = d.runs().get(ti.dagId(), ti.runId()).orElse(null);
    if (run == null) {
      return null;
    }
    Task task;
    try {
      task = d.versions().get(run.dagId(), run.dagHash()).task(ti.taskId()).orElse(null);
    } catch (UpdraftException e) {
      log.warn("cannot start {}.{} in {}: {}", ti.dagId(), ti.taskId(), ti.runId(), e.getMessage());
      return null;
    }
    if (task == null) {
      return null;
    }
    return d.recorder()
        .start(ti, run, task, hostname, pid, now)
        .map(started -> new Started(started, run))
        .orElse(null);
  }

  private static Workload run(Deps d, Context ctx, Caller caller) {
    long id = taskInstanceId(ctx);
    RunBody body = Bodies.read(ctx, RunBody.class);
    String hostname = hostname(body.hostname());
    int pid = pid(body.pid());
    TaskInstanceRow ti = require(d, id);
    if (body.dagId() != null
        && !(body.dagId().equals(ti.dagId())
            && body.runId() != null
            && body.runId().equals(ti.runId())
            && body.taskId() != null
            && body.taskId().equals(ti.taskId())
            && (body.mapIndex() == null ? -1 : body.mapIndex()) == ti.mapIndex())) {
      throw ApiException.unprocessable(
          "the token is for task instance "
              + describe(ti)
              + ", not "
              + body.dagId()
              + " "
              + body.runId()
              + " "
              + body.taskId()
              + (body.mapIndex() == null || body.mapIndex() < 0
                  ? ""
                  : " --map-index " + body.mapIndex()));
    }
    if (caller.task() != null) {
      ownInstance(caller, id);
      if (caller.task().tryNumber() != ti.tryNumber() + 1) {
        throw ApiException.conflict(
            "this task token is for try "
                + caller.task().tryNumber()
                + ", but the next try of task instance "
                + id
                + " is "
                + (ti.tryNumber() + 1));
      }
    }
    if (ti.state() != TaskInstanceState.QUEUED) {
      throw ApiException.conflict(
          "task instance " + id + " is " + ti.state().id() + ", not queued: it cannot start");
    }
    Started s = d.db().inTransaction(() -> start(d, ti, hostname, pid, d.clock().instant()));
    if (s == null) {
      throw ApiException.conflict("task instance " + id + " could not start: it moved on");
    }
    return workload(d, s.ti(), s.run());
  }

  private static String describe(TaskInstanceRow ti) {
    return ti.dagId()
        + " "
        + ti.runId()
        + " "
        + ti.taskId()
        + (ti.mapIndex() < 0 ? "" : " --map-index " + ti.mapIndex());
  }

  private static Workload workload(Deps d, TaskInstanceRow ti, DagRunRow run) {
    WorkloadDags.Version stored = d.workloadDags().get(run.dagId(), run.dagHash());
    PreviousSuccessBody previous =
        run.logicalDate() == null
            ? null
            : d.runs()
                .previousSuccess(run.dagId(), run.logicalDate())
                .map(
                    p ->
                        new PreviousSuccessBody(
                            Json.instant(p.dataIntervalStart()),
                            Json.instant(p.dataIntervalEnd()),
                            Json.instant(p.startDate())))
                .orElse(null);
    Instant firstCheck =
        "sensor".equals(ti.operator())
            ? new TaskInstanceDeferrals(d.db()).firstCheck(ti.id(), ti.tryNumber()).orElse(null)
            : null;
    return new Workload(
        d.taskTokens().issue(ti.id(), ti.tryNumber(), TaskTokens.LIFETIME),
        new TaskInstanceBody(
            ti.id(),
            ti.dagId(),
            ti.runId(),
            ti.taskId(),
            ti.mapIndex(),
            ti.tryNumber(),
            ti.maxTries(),
            ti.queue(),
            ti.pool(),
            ti.poolSlots(),
            ti.priorityWeight(),
            ti.operator(),
            Json.instant(ti.startDate()),
            Json.instant(ti.queuedDttm())),
        new DagRunBody(
            run.id(),
            run.dagId(),
            run.runId(),
            run.runType().name(),
            run.state().name(),
            Json.instant(run.logicalDate()),
            Json.instant(run.dataIntervalStart()),
            Json.instant(run.dataIntervalEnd()),
            Json.instant(run.runAfter()),
            Json.instant(run.startDate()),
            run.externalTrigger(),
            run.conf(),
            run.dagHash(),
            run.clearNumber()),
        stored.dag(),
        stored.fileloc(),
        previous,
        Json.instant(firstCheck));
  }

  // ---- a running try ----

  private static HeartbeatResponse heartbeat(Deps d, Context ctx, Caller caller) {
    long id = taskInstanceId(ctx);
    HeartbeatBody body = Bodies.read(ctx, HeartbeatBody.class);
    int tryNumber = tryNumber(caller, id, body.tryNumber());
    TaskInstanceRow ti = runningTry(d, id, tryNumber);
    if (!d.tries().heartbeat(id, tryNumber, d.clock().instant())) {
      throw stop(d, id, tryNumber);
    }
    return new HeartbeatResponse(d.taskTokens().issue(ti.id(), tryNumber, TaskTokens.LIFETIME));
  }

  private static StateResponse end(Deps d, Context ctx, Caller caller) throws IOException {
    long id = taskInstanceId(ctx);
    StateBody body = Bodies.read(ctx, StateBody.class);
    int tryNumber = tryNumber(caller, id, body.tryNumber());
    TryRunner.Result result = result(body);
    if (body.log() != null) {
      checkPiece(body.log().offset(), body.log().text(), "log.");
    }
    TaskInstanceRow ti = currentTry(d, id, tryNumber);
    Long logSize = null;
    if (body.log() != null) {
      // The log first: an end is never acknowledged with its last lines lost.
      logSize = append(d, ti, tryNumber, body.log().offset(), body.log().text(), "log.");
    }
    DagRunRow run =
        d.runs()
            .get(ti.dagId(), ti.runId())
            .orElseThrow(
                () -> ApiException.notFound("the run of task instance " + id + " is gone"));
    Dag dag = d.versions().get(run.dagId(), run.dagHash());
    Task task =
        dag.task(ti.taskId())
            .orElseThrow(
                () ->
                    ApiException.conflict(
                        "task " + ti.taskId() + " is not in the run's DAG version any more"));
    TryRecorder.Recorded recorded =
        d.recorder()
            .record(
                dag,
                task,
                run,
                ti,
                result,
                Boolean.TRUE.equals(body.handedBack()),
                d.clock().instant());
    d.announceEnd().run();
    d.announceTaskEnd().run();
    return new StateResponse(
        recorded.state() == null ? null : recorded.state().id(), recorded.handedBack(), logSize);
  }

  /** The body of an end as the recorder takes it; a 422 naming the field otherwise. */
  static TryRunner.Result result(StateBody b) {
    if (b.state() == null) {
      throw ApiException.unprocessable(
          "state: required (success, failed, skipped, up_for_reschedule or deferred)");
    }
    String returnValue = b.returnValue() == null ? null : b.returnValue().toString();
    Downstream downstream = Downstream.PROCEED;
    if (b.followTaskIds() != null) {
      if (b.followTaskIds().stream().anyMatch(t -> t == null || t.isBlank())) {
        throw ApiException.unprocessable("follow_task_ids: must be task ids, not blank");
      }
      downstream = new Downstream.Follow(b.followTaskIds());
    }
    if (Boolean.TRUE.equals(b.skipDownstream())) {
      if (b.followTaskIds() != null) {
        throw ApiException.unprocessable(
            "skip_downstream: cannot go with follow_task_ids (a branch or a short circuit)");
      }
      downstream = new Downstream.SkipAll();
    }
    return switch (b.state()) {
      case "success" ->
          new TryRunner.Result(TaskInstanceState.SUCCESS, returnValue, null, downstream);
      case "skipped" ->
          new TryRunner.Result(TaskInstanceState.SKIPPED, returnValue, null, downstream);
      case "failed" ->
          new TryRunner.Result(
              TaskInstanceState.FAILED,
              null,
              b.error() == null ? "failed" : b.error(),
              Downstream.PROCEED,
              null,
              !Boolean.FALSE.equals(b.retryable()));
      case "up_for_reschedule" -> {
        if (b.rescheduleDate() == null) {
          throw ApiException.unprocessable("reschedule_date: required with up_for_reschedule");
        }
        yield TryRunner.Result.paused(
            new Pause.Reschedule(Params.instant("reschedule_date", b.rescheduleDate())));
      }
      case "deferred" -> {
        TriggerBody t = b.trigger();
        if (t == null || t.kind() == null || t.kind().isBlank() || t.kwargs() == null) {
          throw ApiException.unprocessable("trigger: required with deferred, with kind and kwargs");
        }
        Instant timeout =
            t.timeout() == null ? null : Params.instant("trigger.timeout", t.timeout());
        yield new TryRunner.Result(
            TaskInstanceState.DEFERRED,
            returnValue,
            null,
            Downstream.PROCEED,
            new Pause.Defer(t.kind(), t.kwargs().toString(), timeout));
      }
      default ->
          throw ApiException.unprocessable(
              "state: '"
                  + b.state()
                  + "' is not how a try ends: use success, failed, skipped, up_for_reschedule or"
                  + " deferred");
    };
  }

  private static LogResponse appendLog(Deps d, Context ctx, Caller caller) throws IOException {
    long id = taskInstanceId(ctx);
    LogBody body = Bodies.read(ctx, LogBody.class);
    int tryNumber = tryNumber(caller, id, body.tryNumber());
    checkPiece(body.offset(), body.text(), "");
    return new LogResponse(
        append(d, currentTry(d, id, tryNumber), tryNumber, body.offset(), body.text(), ""));
  }

  private static void checkPiece(Long offset, String text, String field) {
    if (offset == null || offset < 0) {
      throw ApiException.unprocessable(
          field + "offset: required, the byte of the log the text starts at");
    }
    if (text == null) {
      throw ApiException.unprocessable(field + "text: required");
    }
  }

  /**
   * Appends what the try's log does not have yet of {@code text} (which starts at byte {@code
   * offset}); returns the log's size. 409 when {@code offset} is past the end (send from the size).
   */
  private static long append(
      Deps d, TaskInstanceRow ti, int tryNumber, Long offset, String text, String field)
      throws IOException {
    checkPiece(offset, text, field);
    if (d.logsRoot() == null) {
      throw ApiException.conflict("this API server keeps no logs (it was started without a home)");
    }
    Path file;
    try {
      file = TryLog.path(d.logsRoot(), ti.dagId(), ti.runId(), ti.taskId(), tryNumber);
    } catch (SafePaths.UnsafePathException e) {
      throw ApiException.conflict(
          "the try's log would be outside the logs folder: " + e.getMessage());
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    synchronized (ExecutionRoutes.class) {
      Files.createDirectories(file.getParent());
      try (FileChannel ch =
          FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        long size = ch.size();
        if (offset > size) {
          throw ApiException.conflict(
              "offset: " + offset + " is past the log's end (" + size + "): send from " + size);
        }
        long skip = size - offset; // what an earlier, repeated request already wrote
        if (skip < bytes.length) {
          ch.position(size);
          ch.write(ByteBuffer.wrap(bytes, (int) skip, bytes.length - (int) skip));
        }
        return ch.size();
      }
    }
  }

  // ---- what a try reads and pushes ----

  private static XComValue readXCom(Deps d, Context ctx) {
    int mapIndex = mapIndex(ctx);
    String key = ctx.pathParam("key");
    return new XComRepository(d.db())
        .get(
            ctx.pathParam("dag_id"),
            ctx.pathParam("run_id"),
            ctx.pathParam("task_id"),
            mapIndex,
            key)
        .map(json -> new XComValue(key, jsonOrText(json)))
        .orElseThrow(
            () ->
                ApiException.notFound(
                    "no XCom '"
                        + key
                        + "' of task "
                        + ctx.pathParam("task_id")
                        + " in run '"
                        + ctx.pathParam("run_id")
                        + "' of DAG "
                        + ctx.pathParam("dag_id")));
  }

  private static XComValue pushXCom(Deps d, Context ctx, Caller caller) {
    int mapIndex = mapIndex(ctx);
    String key = ctx.pathParam("key");
    XComBody body = Bodies.read(ctx, XComBody.class);
    if (body.value() == null) {
      throw ApiException.unprocessable("value: required (any JSON; null is not stored)");
    }
    TaskInstanceRow ti =
        d.taskInstances().listForRun(ctx.pathParam("dag_id"), ctx.pathParam("run_id")).stream()
            .filter(t -> t.taskId().equals(ctx.pathParam("task_id")) && t.mapIndex() == mapIndex)
            .findFirst()
            .orElseThrow(
                () ->
                    ApiException.notFound(
                        "no task instance "
                            + ctx.pathParam("task_id")
                            + " in run '"
                            + ctx.pathParam("run_id")
                            + "' of DAG "
                            + ctx.pathParam("dag_id")));
    if (caller.task() != null) {
      ownInstance(caller, ti.id());
    }
    if (ti.state() != TaskInstanceState.RUNNING) {
      throw ApiException.conflict(
          "task instance " + ti.id() + " is " + ti.state().id() + ": only a running try pushes");
    }
    DagRunRow run = d.runs().get(ti.dagId(), ti.runId()).orElseThrow();
    new XComRepository(d.db())
        .put(
            run.id(),
            ti.dagId(),
            ti.runId(),
            ti.taskId(),
            ti.mapIndex(),
            key,
            body.value().toString(),
            d.clock().instant());
    return new XComValue(key, body.value());
  }

  private static ConnectionBody connection(Deps d, Context ctx) {
    String id = ctx.pathParam("connection_id");
    Connection c =
        Lookups.of(Map.of(), d.db(), d.keys())
            .connections(new SecretMasker())
            .find(id)
            .orElseThrow(() -> ApiException.notFound("no connection '" + id + "'"));
    return new ConnectionBody(
        c.connId(),
        c.connType(),
        c.host(),
        c.schema(),
        c.login(),
        c.password(),
        c.port(),
        c.extra());
  }

  private static VariableBody variable(Deps d, Context ctx) {
    String key = ctx.pathParam("variable_key");
    return Lookups.of(Map.of(), d.db(), d.keys())
        .variables(new SecretMasker())
        .find(key)
        .map(v -> new VariableBody(key, v))
        .orElseThrow(() -> ApiException.notFound("no variable '" + key + "'"));
  }

  private static BundleBody bundle(Deps d, Context ctx) {
    String hash = ctx.pathParam("bundle_hash");
    return new DagBundleRepository(d.db())
        .content(hash)
        .map(bytes -> new BundleBody(hash, Base64.getEncoder().encodeToString(bytes)))
        .orElseThrow(() -> ApiException.notFound("no code bundle with hash '" + hash + "'"));
  }

  // ---- trigger_dag ----

  /**
   * {@code trigger_dag} on a worker without the database: the same {@link DatabaseDagRuns} the
   * local operator calls (run_id rule, data interval, task instances, the audit entry as {@code
   * trigger_dag}, the schedulers told), for a running try only: the task token's, or the one a
   * worker's token names.
   */
  private static TriggeredRun triggerRun(Deps d, Context ctx, Caller caller) {
    String dagId = ctx.pathParam("dag_id");
    TriggerRunBody body = Bodies.read(ctx, TriggerRunBody.class);
    long id;
    if (caller.task() != null) {
      id = caller.task().taskInstanceId();
    } else if (body.taskInstanceId() == null) {
      throw ApiException.unprocessable(
          "task_instance_id: required with a worker's token, the running try that triggers (a"
              + " task token names its own)");
    } else {
      id = body.taskInstanceId();
    }
    TaskInstanceRow ti = runningTry(d, id, tryNumber(caller, id, body.tryNumber()));
    Instant logical =
        body.logicalDate() == null
            ? d.clock().instant()
            : Params.instant("logical_date", body.logicalDate());
    Map<String, Object> conf;
    if (body.conf() == null || body.conf().isNull()) {
      conf = Map.of();
    } else if (!body.conf().isObject()) {
      throw ApiException.unprocessable("conf: must be a JSON object, not " + body.conf());
    } else {
      conf = Json.MAPPER.convertValue(body.conf(), new TypeReference<Map<String, Object>>() {});
    }
    String runId;
    try {
      runId = new DatabaseDagRuns(d.db(), d.clock()).trigger(dagId, logical, body.runId(), conf);
    } catch (DuplicateDagRunException e) {
      throw ApiException.conflict(e.getMessage());
    } catch (UpdraftException e) {
      throw ApiException.unprocessable(e.getMessage());
    }
    log.debug("task instance {} ({}) triggered {} {}", id, describe(ti), dagId, runId);
    return new TriggeredRun(dagId, runId, Json.instant(logical));
  }

  private static RunStateBody runState(Deps d, Context ctx) {
    String dagId = ctx.pathParam("dag_id");
    String runId = ctx.pathParam("run_id");
    return d.runs()
        .get(dagId, runId)
        .map(r -> new RunStateBody(dagId, runId, r.state().id()))
        .orElseThrow(() -> ApiException.notFound("no run '" + runId + "' of DAG " + dagId));
  }

  // ---- checks ----

  private static long taskInstanceId(Context ctx) {
    return Params.id("task_instance_id", ctx.pathParam("task_instance_id"));
  }

  private static int mapIndex(Context ctx) {
    Integer m = Params.optionalInteger(ctx, "map_index");
    if (m != null && m < -1) {
      throw ApiException.badRequest("map_index: must be -1 (unmapped) or more, not " + m);
    }
    return m == null ? -1 : m;
  }

  private static TaskInstanceRow require(Deps d, long id) {
    return d.taskInstances()
        .get(id)
        .orElseThrow(() -> ApiException.notFound("no task instance with id " + id));
  }

  /** A task token may act on its own task instance only. */
  private static void ownInstance(Caller caller, long id) {
    if (caller.task().taskInstanceId() != id) {
      throw ApiException.forbidden(
          "this task token is for task instance "
              + caller.task().taskInstanceId()
              + ", not "
              + id
              + ": a try acts on its own task instance only");
    }
  }

  /** The try a request acts on: a task token's own, or the body's with a worker's token. */
  private static int tryNumber(Caller caller, long id, Integer fromBody) {
    if (caller.task() != null) {
      ownInstance(caller, id);
      if (fromBody != null && fromBody != caller.task().tryNumber()) {
        throw ApiException.forbidden(
            "try_number: this task token is for try "
                + caller.task().tryNumber()
                + ", not "
                + fromBody);
      }
      return caller.task().tryNumber();
    }
    if (fromBody == null || fromBody < 1) {
      throw ApiException.unprocessable(
          "try_number: required with a worker's token (1 or more; a task token names its own)");
    }
    return fromBody;
  }

  /** The task instance, if {@code tryNumber} is its latest try; 409 otherwise. */
  private static TaskInstanceRow currentTry(Deps d, long id, int tryNumber) {
    TaskInstanceRow ti = require(d, id);
    if (ti.tryNumber() != tryNumber) {
      throw ApiException.conflict(
          "try "
              + tryNumber
              + " of task instance "
              + id
              + " is over: it is on try "
              + ti.tryNumber());
    }
    return ti;
  }

  private static TaskInstanceRow runningTry(Deps d, long id, int tryNumber) {
    TaskInstanceRow ti = require(d, id);
    if (ti.state() != TaskInstanceState.RUNNING || ti.tryNumber() != tryNumber) {
      throw stop(d, id, tryNumber);
    }
    return ti;
  }

  /** 409: the try must stop, saying why (as the local executor's heartbeat does). */
  private static ApiException stop(Deps d, long id, int tryNumber) {
    return d.taskInstances()
        .get(id)
        .map(
            t ->
                t.tryNumber() != tryNumber
                    ? ApiException.conflict(
                        "stop: try "
                            + tryNumber
                            + " is over (the task instance is on try "
                            + t.tryNumber()
                            + ")")
                    : ApiException.conflict("stop: the task instance is now " + t.state().id()))
        .orElseGet(() -> ApiException.conflict("stop: the task instance was deleted"));
  }

  private static List<String> queues(List<String> queues) {
    if (queues == null || queues.isEmpty()) {
      throw ApiException.unprocessable(
          "queues: required, a list of queue names such as [\"default\"]");
    }
    if (queues.size() > 100) {
      throw ApiException.unprocessable("queues: at most 100, not " + queues.size());
    }
    for (String q : queues) {
      if (q == null || q.isBlank() || q.length() > 256) {
        throw ApiException.unprocessable("queues: each must be a name of 1 to 256 characters");
      }
    }
    return List.copyOf(new java.util.LinkedHashSet<>(queues));
  }

  private static String hostname(String hostname) {
    if (hostname == null || hostname.isBlank() || hostname.length() > 1000) {
      throw ApiException.unprocessable(
          "hostname: required, the worker's host (at most 1000 characters)");
    }
    return hostname;
  }

  private static int pid(Integer pid) {
    if (pid != null && pid < 0) {
      throw ApiException.unprocessable("pid: must be 0 or more, not " + pid);
    }
    return pid == null ? 0 : pid;
  }

  private static JsonNode jsonOrText(String stored) {
    try {
      return Json.MAPPER.readTree(stored);
    } catch (JsonProcessingException e) {
      return TextNode.valueOf(stored); // written by something else than Updraft
    }
  }
}
