package io.updraft.worker;

import io.updraft.bundle.OperatorResult;
import io.updraft.dag.CustomOperators;
import io.updraft.dag.Task;
import io.updraft.sdk.SkipTaskException;
import io.updraft.sensors.SensorSpec;
import io.updraft.state.TaskInstanceState;
import io.updraft.util.Folders;
import io.updraft.worker.operators.InJvmOperator;
import io.updraft.worker.operators.InJvmOperators;
import io.updraft.worker.operators.InJvmRunner;
import io.updraft.worker.operators.OperatorContext;
import io.updraft.worker.operators.OperatorFailure;
import io.updraft.worker.operators.OperatorPause;
import io.updraft.worker.operators.OperatorServices;
import io.updraft.worker.operators.SensorTimedOut;
import io.updraft.worker.template.TemplateContext;
import io.updraft.worker.template.TemplateRenderException;
import io.updraft.worker.template.TemplateRenderer;
import io.updraft.worker.template.TryContext;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** One try of one task, from the log's header to its footer. Used once. */
final class TryAttempt {

  /** Default {@code skip_on_exit_code} of {@code shell}, as Airflow's BashOperator. */
  static final int DEFAULT_SKIP_EXIT_CODE = 99;

  private final TryRequest request;
  private final RunnerSettings settings;
  private final TemplateRenderer renderer;
  private final ProcessRunner processes;
  private final InJvmRunner inJvm;
  private final OperatorServices services;
  private final OperatorJvms operatorJvms;
  private final CompletableFuture<Cancellation> cancel;
  private final LogFolders logFolders;

  TryAttempt(
      TryRequest request,
      RunnerSettings settings,
      TemplateRenderer renderer,
      ProcessRunner processes,
      InJvmRunner inJvm,
      OperatorServices services,
      OperatorJvms operatorJvms,
      CompletableFuture<Cancellation> cancel,
      LogFolders logFolders) {
    this.logFolders = logFolders;
    this.request = request;
    this.settings = settings;
    this.renderer = renderer;
    this.processes = processes;
    this.inJvm = inJvm;
    this.services = services;
    this.operatorJvms = operatorJvms;
    this.cancel = cancel;
  }

  /** What an operator decided, before timing and the log path are added. */
  private record Result(
      TaskInstanceState state,
      FailureKind failure,
      String error,
      Object returnValue,
      Integer exitCode,
      Downstream downstream,
      Pause pause) {

    Result(
        TaskInstanceState state,
        FailureKind failure,
        String error,
        Object returnValue,
        Integer exitCode,
        Downstream downstream) {
      this(state, failure, error, returnValue, exitCode, downstream, null);
    }

    static Result failed(FailureKind kind, String error, Integer exitCode) {
      return new Result(TaskInstanceState.FAILED, kind, error, null, exitCode, null);
    }

    /**
     * A try that ended without finishing its instance (a reschedule, a deferral), with the return
     * value it already has (null: none), kept while the wait goes on.
     */
    static Result paused(Pause pause, Object returnValue) {
      TaskInstanceState state =
          pause instanceof Pause.Reschedule
              ? TaskInstanceState.UP_FOR_RESCHEDULE
              : TaskInstanceState.DEFERRED;
      return new Result(state, FailureKind.NONE, null, returnValue, null, null, pause);
    }
  }

  TryOutcome run() {
    Task task = request.task();
    Instant start = request.clock().instant();
    if (task.operator().equals("empty")) {
      return outcome(
          new Result(TaskInstanceState.SUCCESS, FailureKind.NONE, null, null, null, null),
          start,
          null);
    }
    Path logPath;
    try {
      logPath =
          TryLog.named(
              request.logsRoot(),
              request.dag().dagId(),
              request.runId(),
              task.taskId(),
              request.tryNumber());
    } catch (SafePaths.UnsafePathException e) {
      // A run or task row that did not come through Updraft's checks: run nothing, write nothing.
      return outcome(
          Result.failed(FailureKind.SETUP, "cannot write this try's log: " + e.getMessage(), null),
          start,
          null);
    }
    TryLog log;
    try {
      log =
          TryLog.create(logFolders, request.logsRoot(), logPath, request.clock(), request.masker());
    } catch (SafePaths.UnsafePathException e) {
      return outcome(
          Result.failed(FailureKind.SETUP, "cannot write this try's log: " + e.getMessage(), null),
          start,
          null);
    } catch (IOException | RuntimeException e) {
      return outcome(
          Result.failed(
              FailureKind.SETUP, "cannot open the log " + logPath + ": " + e.getMessage(), null),
          start,
          null);
    }
    try (log) {
      log.noteLater(
          "try "
              + request.tryNumber()
              + " of dag_id="
              + request.dag().dagId()
              + " run_id="
              + request.runId()
              + " task_id="
              + task.taskId()
              + " (operator "
              + task.operator()
              + ") started");
      Result result;
      try {
        result = withinXComLimit(operate(log));
      } catch (RuntimeException e) {
        result = Result.failed(FailureKind.SETUP, "internal error: " + e, null);
      }
      if (result.error() != null) {
        log.noteLater("error: " + result.error());
      }
      Instant end = request.clock().instant();
      log.noteLater(
          "try finished: "
              + result.state().id()
              + (result.exitCode() == null ? "" : ", exit code " + result.exitCode())
              + ", took "
              + Durations.human(Duration.between(start, end)));
      return outcome(result, start, logPath, end);
    }
  }

  private Result operate(TryLog log) {
    String operator = request.task().operator();
    boolean custom = CustomOperators.isPinned(operator);
    Optional<InJvmOperator> builtIn = InJvmOperators.get(operator);
    if (!custom
        && builtIn.isEmpty()
        && !List.of("shell", "branch", "short_circuit").contains(operator)) {
      return Result.failed(
          FailureKind.UNSUPPORTED_OPERATOR, "operator " + operator + " is not supported yet", null);
    }
    Rendered rendered;
    try {
      rendered = render(request.task());
    } catch (TemplateRenderException e) {
      return Result.failed(FailureKind.TEMPLATE, e.getMessage(), null);
    }
    if (builtIn.isPresent()) {
      return runInJvm(builtIn.get(), rendered, log);
    }
    return custom ? runCustom(rendered, log) : runCommand(operator, rendered, log);
  }

  /**
   * {@code http}, {@code sql}, {@code email}, {@code trigger_dag}, {@code sensor}: on a virtual
   * thread here. An {@link OperatorPause} ends the try without finishing its instance; a {@link
   * SkipTaskException} skips it.
   */
  private Result runInJvm(InJvmOperator operator, Rendered rendered, TryLog log) {
    Task task = request.task();
    if (refused()) {
      return Result.failed(
          FailureKind.CANCELLED, "cancelled: " + Cancellation.reasonOf(cancel), null);
    }
    OperatorContext ctx =
        new OperatorContext(
            task.taskId(),
            rendered.args(),
            log::note,
            request.connections(),
            ShellCommand.dagFolder(request.dagFile()),
            services.dagRuns(),
            request.clock(),
            task.executionTimeout(),
            settings.maxXComSize(),
            (key, source) -> renderLater(rendered, key, source),
            null,
            new SensorSpec.RunDates(
                request.dag().timezone(),
                request.logicalDate(),
                request.dataInterval() == null ? null : request.dataInterval().end()),
            request.firstCheck(),
            ShellCommand.environment(settings.baseEnv(), rendered.env(), request),
            services.external());
    log.flush(); // the header, for a reader of a try that runs long
    InJvmRunner.Outcome o = inJvm.run(operator, ctx, request.heartbeat(), request.clock(), cancel);
    return switch (o.ending()) {
      case RETURNED ->
          new Result(TaskInstanceState.SUCCESS, FailureKind.NONE, null, o.value(), null, null);
      case TIMED_OUT, CANCELLED ->
          cancel.isDone()
              ? Result.failed(
                  FailureKind.CANCELLED, "cancelled: " + Cancellation.reasonOf(cancel), null)
              : Result.failed(
                  FailureKind.TIMED_OUT,
                  "timed out after "
                      + (task.executionTimeout() == null
                          ? "the operator's own timeout"
                          : Durations.human(task.executionTimeout())),
                  null);
      case FAILED ->
          o.error() instanceof OperatorPause p
              ? Result.paused(p.pause(), p.returnValue())
              : o.error() instanceof SkipTaskException skip
                  ? skipped(skip, log)
                  : failed(o.error(), task);
    };
  }

  /**
   * Right before the try starts its process or operator: true when it must not start — cancelled
   * already, or its {@link StartGate} says it is no longer this worker's (then cancelled with why).
   */
  private boolean refused() {
    if (!cancel.isDone()) {
      Cancellation no = request.startGate().confirm();
      if (no != null) {
        cancel.complete(no);
      }
    }
    return cancel.isDone();
  }

  /** An in-JVM operator that ended its try as skipped ({@code soft_fail} of a sensor). */
  private static Result skipped(SkipTaskException e, TryLog log) {
    log.note("skipped: " + e.getMessage());
    return new Result(TaskInstanceState.SKIPPED, FailureKind.NONE, null, null, null, null, null);
  }

  private static Result failed(RuntimeException error, Task task) {
    return switch (error) {
      case OperatorFailure f -> Result.failed(FailureKind.OPERATOR, f.line(task.taskId()), null);
      case SensorTimedOut t ->
          Result.failed(
              FailureKind.SENSOR_TIMEOUT, "task '" + task.taskId() + "': " + t.getMessage(), null);
      case io.updraft.UpdraftException u ->
          Result.failed(
              FailureKind.OPERATOR, "task '" + task.taskId() + "': " + u.getMessage(), null);
      default -> Result.failed(FailureKind.SETUP, "internal error: " + error, null);
    };
  }

  private Result runCommand(String operator, Rendered rendered, TryLog log) {
    Task task = request.task();
    Map<String, Object> args = rendered.args();
    Map<String, String> env = rendered.env();
    Object command = args.get("command");
    if (!(command instanceof String text) || text.isBlank()) {
      return Result.failed(
          FailureKind.SETUP,
          "task '" + task.taskId() + "' has no command — set command: to what bash should run",
          null);
    }
    Integer skipCode;
    try {
      skipCode = operator.equals("shell") ? skipExitCode(args) : null;
    } catch (IllegalArgumentException e) {
      return Result.failed(FailureKind.SETUP, e.getMessage(), null);
    }

    Path cwd;
    Path tempDir = null;
    try {
      Object configured = args.get("cwd");
      Path dagFolder = ShellCommand.dagFolder(request.dagFile());
      if (configured != null && !String.valueOf(configured).isBlank()) {
        cwd = ShellCommand.configuredCwd(String.valueOf(configured));
      } else if (dagFolder != null) {
        cwd = dagFolder;
      } else {
        tempDir = ShellCommand.temporaryCwd(settings.tempRoot());
        cwd = tempDir;
        if (request.dagFile() != null) {
          log.note(
              "the DAG file's folder "
                  + request.dagFile().getParent()
                  + " is not on this machine: running in a temporary folder (set cwd: to choose"
                  + " one)");
        }
      }
    } catch (ShellCommand.SetupException e) {
      return Result.failed(FailureKind.SETUP, e.getMessage(), null);
    }
    try {
      if (refused()) {
        return Result.failed(
            FailureKind.CANCELLED, "cancelled: " + Cancellation.reasonOf(cancel), null);
      }
      ProcessSpec spec =
          new ProcessSpec(
              ShellCommand.argv(settings.bash(), text),
              cwd,
              ShellCommand.environment(settings.baseEnv(), env, request),
              task.executionTimeout());
      log.noteLater(
          "running: "
              + settings.bash()
              + " -c "
              + ShellCommand.quote(text)
              + " (cwd "
              + cwd
              + (task.executionTimeout() == null
                  ? ""
                  : ", timeout " + Durations.human(task.executionTimeout()))
              + ")");
      ProcessResult p;
      try {
        p = processes.run(spec, log, request.heartbeat(), request.clock(), cancel);
      } catch (IOException e) {
        return Result.failed(
            FailureKind.SETUP, "cannot start " + settings.bash() + ": " + e.getMessage(), null);
      }
      log.noteLater("command exited with code " + p.exitCode());
      return decide(operator, p, skipCode);
    } finally {
      if (tempDir != null) {
        Folders.deleteQuietly(tempDir);
      }
    }
  }

  /**
   * A custom operator, its bundle's code (SPEC §1.6): in a warm JVM of the bundle, or a JVM of its
   * own for a task with {@code env} (decisions/0140).
   */
  private Result runCustom(Rendered rendered, TryLog log) {
    Task task = request.task();
    Map<String, Object> args = rendered.args();
    Map<String, String> env = rendered.env();
    String hash = CustomOperators.bundleHash(task.operator());
    Path dir = null;
    try {
      Path bundle = request.bundles().jar(hash);
      boolean warm = settings.operatorJvms().reuse() && env.isEmpty();
      if (refused()) {
        return Result.failed(
            FailureKind.CANCELLED, "cancelled: " + Cancellation.reasonOf(cancel), null);
      }
      log.noteLater(
          "running operator "
              + CustomOperators.className(task.operator())
              + " of bundle "
              + hash.substring(0, 12)
              + (warm ? " in a warm JVM" : " in its own JVM")
              + (task.executionTimeout() == null
                  ? ""
                  : " (timeout " + Durations.human(task.executionTimeout()) + ")"));
      if (warm) {
        return runWarm(hash, bundle, args, log);
      }
      dir = ShellCommand.temporaryCwd(settings.tempRoot());
      List<String> argv = OperatorProcess.prepare(request, bundle, args, dir);
      ProcessResult p =
          processes.run(
              new ProcessSpec(
                  argv,
                  dir,
                  ShellCommand.environment(settings.baseEnv(), env, request),
                  task.executionTimeout()),
              log,
              request.heartbeat(),
              request.clock(),
              cancel);
      if (p.ending() != ProcessResult.Ending.EXITED) {
        return decide("custom", p, null);
      }
      return custom(OperatorProcess.result(dir), p.exitCode());
    } catch (ShellCommand.SetupException | IOException | IllegalArgumentException e) {
      return Result.failed(
          FailureKind.SETUP,
          "cannot run operator " + task.operator() + ": " + e.getMessage(),
          null);
    } finally {
      if (dir != null) {
        Folders.deleteQuietly(dir);
      }
    }
  }

  /**
   * A custom operator in a warm JVM of its bundle (decisions/0140): the JVM's environment is the
   * worker's, so only a task without {@code env} runs here.
   */
  private Result runWarm(String hash, Path bundle, Map<String, Object> args, TryLog log)
      throws IOException {
    Task task = request.task();
    OperatorJvms.Outcome o =
        operatorJvms.run(
            hash,
            bundle,
            request.dagFile(),
            OperatorProcess.request(request, bundle, args),
            settings.baseEnv(),
            settings.tempRoot(),
            log,
            request.heartbeat(),
            request.clock(),
            task.executionTimeout(),
            cancel);
    if (o.ending() != ProcessResult.Ending.EXITED) {
      int code = o.exitCode() == null ? -1 : o.exitCode();
      return decide("custom", new ProcessResult(code, LastLine.Value.NONE, o.ending()), null);
    }
    return custom(o.result(), o.exitCode());
  }

  /** A custom operator's result; null when its JVM ended before giving one. */
  private static Result custom(OperatorResult r, Integer exitCode) {
    if (r == null) {
      return Result.failed(FailureKind.EXCEPTION, OperatorJvms.endedEarly(exitCode), exitCode);
    }
    return switch (r.state()) {
      case OperatorResult.SUCCESS ->
          new Result(TaskInstanceState.SUCCESS, FailureKind.NONE, null, r.returnValue(), 0, null);
      case OperatorResult.SKIPPED ->
          new Result(TaskInstanceState.SKIPPED, FailureKind.NONE, null, null, 0, null);
      default -> Result.failed(FailureKind.EXCEPTION, r.error(), null);
    };
  }

  /** The task's arguments rendered for this try, as its operator would see them; runs nothing. */
  Map<String, Object> renderedArgs() throws TemplateRenderException {
    return render(request.task()).args();
  }

  /**
   * A task's args and env with every template rendered for this try; {@code context} is built on
   * first use.
   */
  private record Rendered(
      Map<String, Object> args, Map<String, String> env, Supplier<Map<String, Object>> context) {}

  /**
   * Renders the task's keys. The template context (dates, {@code prev_*_success}, which is a query,
   * objects for {@code ti}, {@code dag_run}, {@code macros}) is only built when a key holds a
   * template: a plain {@code command: ./load.sh} costs none of it.
   */
  private Rendered render(Task task) throws TemplateRenderException {
    Supplier<Map<String, Object>> context = lazyContext();
    Map<String, Object> now =
        TemplateRenderer.holdsTemplate(task.args()) || TemplateRenderer.holdsTemplate(task.env())
            ? context.get()
            : Map.of();
    return new Rendered(
        renderer.renderArgs(task.taskId(), task.args(), now),
        renderer.renderEnv(task.taskId(), task.env(), now),
        context);
  }

  private Supplier<Map<String, Object>> lazyContext() {
    AtomicReference<Map<String, Object>> built = new AtomicReference<>();
    return () -> {
      Map<String, Object> context = built.get();
      if (context == null) {
        context = TemplateContext.of(tryContext());
        built.set(context);
      }
      return context;
    };
  }

  /** Renders a template an operator reads at run time (a {@code sql_file}), as Airflow does. */
  private String renderLater(Rendered rendered, String key, String source) {
    try {
      return renderer.render(request.task().taskId(), key, source, rendered.context().get());
    } catch (TemplateRenderException e) {
      throw new OperatorFailure(null, e.getMessage());
    }
  }

  private Result decide(String operator, ProcessResult p, Integer skipCode) {
    switch (p.ending()) {
      case TIMED_OUT -> {
        return Result.failed(
            FailureKind.TIMED_OUT,
            "timed out after " + Durations.human(request.task().executionTimeout()),
            p.exitCode());
      }
      case CANCELLED -> {
        return Result.failed(
            FailureKind.CANCELLED, "cancelled: " + Cancellation.reasonOf(cancel), p.exitCode());
      }
      case EXITED -> {}
    }
    int code = p.exitCode();
    LastLine.Value lastLine = p.lastStdoutLine();
    boolean keepsReturnValue = operator.equals("short_circuit") || code == 0;
    if (lastLine.tooLarge() && keepsReturnValue) {
      return Result.failed(
          FailureKind.XCOM_TOO_LARGE,
          XComLimit.lineTooLarge(lastLine.bytes(), settings.maxXComSize()),
          code);
    }
    String last = lastLine.text();
    return switch (operator) {
      case "short_circuit" ->
          // A false condition is not a failure: the task succeeds and its downstream is skipped.
          new Result(
              TaskInstanceState.SUCCESS,
              FailureKind.NONE,
              null,
              last,
              code,
              code == 0 ? Downstream.PROCEED : new Downstream.SkipAll());
      case "branch" -> {
        if (code != 0) {
          yield Result.failed(FailureKind.EXIT_CODE, exitMessage(code), code);
        }
        try {
          List<String> ids = BranchChoice.parse(last, request.dag(), request.task().taskId());
          yield new Result(
              TaskInstanceState.SUCCESS,
              FailureKind.NONE,
              null,
              last,
              code,
              new Downstream.Follow(ids));
        } catch (IllegalArgumentException e) {
          yield Result.failed(FailureKind.BAD_OUTPUT, e.getMessage(), code);
        }
      }
      default -> {
        if (code == 0) {
          yield new Result(TaskInstanceState.SUCCESS, FailureKind.NONE, null, last, code, null);
        }
        if (skipCode != null && code == skipCode) {
          yield new Result(TaskInstanceState.SKIPPED, FailureKind.NONE, null, null, code, null);
        }
        yield Result.failed(FailureKind.EXIT_CODE, exitMessage(code), code);
      }
    };
  }

  /** A successful try whose return value is over {@code core.max_xcom_size} fails instead. */
  private Result withinXComLimit(Result r) {
    if (r.state() != TaskInstanceState.SUCCESS) {
      return r;
    }
    String tooLarge = XComLimit.check(r.returnValue(), settings.maxXComSize());
    return tooLarge == null ? r : Result.failed(FailureKind.XCOM_TOO_LARGE, tooLarge, r.exitCode());
  }

  private static String exitMessage(int code) {
    return "command exited with code " + code;
  }

  /**
   * The {@code skip_on_exit_code} of a shell task: 99 when unset; an explicit null means none.
   * Airflow also accepts a list; Updraft's DAG format takes one code.
   */
  private static Integer skipExitCode(Map<String, Object> args) {
    if (!args.containsKey("skip_on_exit_code")) {
      return DEFAULT_SKIP_EXIT_CODE;
    }
    Object v = args.get("skip_on_exit_code");
    if (v == null) {
      return null;
    }
    if (v instanceof Number n) {
      return n.intValue();
    }
    try {
      return Integer.parseInt(String.valueOf(v).strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "skip_on_exit_code must be a whole number, not '" + v + "'");
    }
  }

  private TryContext tryContext() {
    Task t = request.task();
    return new TryContext(
        request.dag().dagId(),
        t.taskId(),
        t.operator(),
        t.owner(),
        request.runId(),
        request.logicalDate(),
        request.dataInterval(),
        request.dag().params(),
        request.conf(),
        request.tryNumber(),
        request.xcoms(),
        request.variables(),
        settings.configuration(),
        request.previousSuccess().get(),
        request.connections());
  }

  private TryOutcome outcome(Result r, Instant start, Path logPath) {
    return outcome(r, start, logPath, request.clock().instant());
  }

  /** The outcome; its error line masked, as it reaches the scheduler's log and the CLI. */
  private TryOutcome outcome(Result r, Instant start, Path logPath, Instant end) {
    return new TryOutcome(
        r.state(),
        r.failure(),
        request.masker().mask(r.error()),
        r.returnValue(),
        r.exitCode(),
        start,
        end,
        logPath,
        r.downstream(),
        r.pause());
  }
}
