package io.updraft.worker;

import java.time.Duration;
import java.util.Objects;

/**
 * Why a running try must stop, and how long its process tree gets between SIGTERM and SIGKILL.
 *
 * @param reason written to the try's log and error, e.g. "the task instance is now skipped"
 * @param killGrace null: the runner's own kill grace ({@link RunnerSettings#killGrace}); a stopping
 *     scheduler gives its {@code scheduler.shutdown_grace} instead
 */
public record Cancellation(String reason, Duration killGrace) {
  public Cancellation {
    Objects.requireNonNull(reason, "reason");
    if (killGrace != null && (killGrace.isNegative() || killGrace.isZero())) {
      throw new IllegalArgumentException("killGrace must be positive, not " + killGrace);
    }
  }

  /** A cancellation with the runner's own kill grace. */
  public static Cancellation of(String reason) {
    return new Cancellation(reason, null);
  }

  /** The reason of a completed cancellation; "interrupted" when there is none (the thread was). */
  static String reasonOf(java.util.concurrent.CompletableFuture<Cancellation> cancel) {
    Cancellation c = cancel.getNow(null);
    return c == null ? "interrupted" : c.reason();
  }

  @Override
  public String toString() {
    return reason;
  }
}
