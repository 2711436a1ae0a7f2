package io.updraft.worker.operators;

import io.updraft.worker.Pause;
import java.util.Objects;

/**
 * Thrown by an in-JVM operator whose try ends without finishing its task instance ({@link Pause}):
 * not a failure. The runner turns it into a {@link io.updraft.worker.TryOutcome} with that pause.
 */
public final class OperatorPause extends RuntimeException {
  private final transient Pause pause;
  private final transient Object returnValue;

  public OperatorPause(Pause pause) {
    this(pause, null);
  }

  /**
   * A pause whose try already has its return value (XCom {@code return_value}), kept while the wait
   * goes on elsewhere: {@code trigger_dag}'s run id.
   */
  public OperatorPause(Pause pause, Object returnValue) {
    super(null, null, false, false);
    this.pause = Objects.requireNonNull(pause, "pause");
    this.returnValue = returnValue;
  }

  /** The try's return value so far; null: none. */
  public Object returnValue() {
    return returnValue;
  }

  public Pause pause() {
    return pause;
  }
}
