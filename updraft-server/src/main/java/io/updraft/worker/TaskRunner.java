package io.updraft.worker;

import io.updraft.worker.operators.InJvmRunner;
import io.updraft.worker.operators.OperatorServices;
import io.updraft.worker.template.TemplateRenderer;
import java.util.concurrent.CompletableFuture;

/**
 * Runs one try of one task: renders its templates, runs its operator and returns a {@link
 * TryOutcome}. It touches no database: XComs are read through {@link XComLookup}, and storing the
 * outcome, XComs and heartbeats is the caller's job. One runner is thread-safe and is meant to be
 * shared by all tries of a worker.
 *
 * <p>Operators: {@code shell}, {@code branch} and {@code short_circuit} run {@code bash -c
 * command}; {@code empty} succeeds at once without a process or a log; {@code http}, {@code sql},
 * {@code email} and {@code trigger_dag} run in this JVM on a virtual thread ({@link
 * io.updraft.worker.operators.InJvmOperators}); custom operators run in a JVM of their own. Others
 * ({@code sensor}) fail the try with "operator X is not supported yet".
 */
public final class TaskRunner {

  private final RunnerSettings settings;
  private final TemplateRenderer renderer = new TemplateRenderer();
  private final ProcessRunner processes;
  private final InJvmRunner inJvm;
  private final OperatorServices services;
  private final LogFolders logFolders = new LogFolders();

  public TaskRunner(RunnerSettings settings) {
    this(settings, OperatorServices.none());
  }

  /** A runner whose in-JVM operators reach connections and DAG runs through {@code services}. */
  public TaskRunner(RunnerSettings settings, OperatorServices services) {
    this.settings = settings;
    this.services = services;
    this.inJvm = new InJvmRunner(settings.killGrace(), settings.heartbeatInterval());
    this.processes =
        new ProcessRunner(
            settings.killGrace(), settings.heartbeatInterval(), settings.maxXComSize());
  }

  /** Runs the try on the calling thread and returns its outcome. */
  public TryOutcome run(TryRequest request) {
    return run(request, new CompletableFuture<>());
  }

  /**
   * Runs the try on the calling thread and returns its outcome; completing {@code cancel} stops it
   * as {@link TryExecution#cancel} does.
   */
  public TryOutcome run(TryRequest request, CompletableFuture<Cancellation> cancel) {
    return attempt(request, cancel).run();
  }

  /**
   * The task's arguments rendered with this try's template context ({@code conn.*} and {@code
   * var.*} through the request's lookups, feeding its masker; XComs), as its operator would see
   * them, without running anything: what the triggerer checks a deferred sensor with.
   *
   * @throws io.updraft.worker.template.TemplateRenderException naming the task, key and problem
   */
  public java.util.Map<String, Object> renderArgs(TryRequest request)
      throws io.updraft.worker.template.TemplateRenderException {
    return attempt(request, new CompletableFuture<>()).renderedArgs();
  }

  /** Runs the try on a new virtual thread; the returned handle can cancel it. */
  public TryExecution start(TryRequest request) {
    CompletableFuture<Cancellation> cancel = new CompletableFuture<>();
    CompletableFuture<TryOutcome> outcome = new CompletableFuture<>();
    TryAttempt attempt = attempt(request, cancel);
    Thread.ofVirtual()
        .name("updraft-try-" + request.dag().dagId() + "." + request.task().taskId())
        .start(
            () -> {
              try {
                outcome.complete(attempt.run());
              } catch (Throwable t) {
                outcome.completeExceptionally(t);
              }
            });
    return new TryExecution(outcome, cancel);
  }

  private TryAttempt attempt(TryRequest request, CompletableFuture<Cancellation> cancel) {
    return new TryAttempt(
        request, settings, renderer, processes, inJvm, services, cancel, logFolders);
  }
}
