package io.updraft.worker;

import io.updraft.worker.template.TemplateRenderer;
import java.util.concurrent.CompletableFuture;

/**
 * Runs one try of one task: renders its templates, runs its operator and returns a {@link
 * TryOutcome}. It touches no database: XComs are read through {@link XComLookup}, and storing the
 * outcome, XComs and heartbeats is the caller's job. One runner is thread-safe and is meant to be
 * shared by all tries of a worker.
 *
 * <p>Operators: {@code shell}, {@code branch} and {@code short_circuit} run {@code bash -c
 * command}; {@code empty} succeeds at once without a process or a log. Others ({@code http}, {@code
 * sql}, {@code trigger_dag}, {@code sensor}, custom ones) fail the try with "operator X is not
 * supported yet".
 */
public final class TaskRunner {

  private final RunnerSettings settings;
  private final TemplateRenderer renderer = new TemplateRenderer();
  private final ProcessRunner processes;

  public TaskRunner(RunnerSettings settings) {
    this.settings = settings;
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
    return new TryAttempt(request, settings, renderer, processes, cancel);
  }
}
