package io.updraft.worker;

import java.util.concurrent.CompletableFuture;

/**
 * A try that is running: its outcome when done, and a way to stop it. Cancelling kills the try's
 * whole process tree (SIGTERM, then SIGKILL after the grace period) and ends the try as {@link
 * FailureKind#CANCELLED}; it returns at once and does nothing once the try is done.
 */
public final class TryExecution {

  private final CompletableFuture<TryOutcome> outcome;
  private final CompletableFuture<Cancellation> cancel;

  TryExecution(CompletableFuture<TryOutcome> outcome, CompletableFuture<Cancellation> cancel) {
    this.outcome = outcome;
    this.cancel = cancel;
  }

  /** Completes with the outcome; never completes exceptionally for a failing task. */
  public CompletableFuture<TryOutcome> outcome() {
    return outcome;
  }

  /**
   * Asks the try to stop.
   *
   * @param reason written to the log and the outcome's error, e.g. "marked failed by admin"
   */
  public void cancel(String reason) {
    cancel.complete(Cancellation.of(reason == null ? "cancelled" : reason));
  }

  public boolean isDone() {
    return outcome.isDone();
  }
}
