package io.updraft.worker.operators;

import io.updraft.worker.Pause;
import java.util.Objects;

/**
 * Thrown by an in-JVM operator whose try ends without finishing its task instance ({@link Pause}):
 * not a failure. The runner turns it into a {@link io.updraft.worker.TryOutcome} with that pause.
 */
public final class OperatorPause extends RuntimeException {
  private final transient Pause pause;

  public OperatorPause(Pause pause) {
    super(null, null, false, false);
    this.pause = Objects.requireNonNull(pause, "pause");
  }

  public Pause pause() {
    return pause;
  }
}
