package io.updraft.state;

import io.updraft.UpdraftException;

/**
 * A state change that the transition tables do not allow. Always a bug in Updraft (or a lost race
 * the caller should have guarded against), never a user error.
 */
public class IllegalTransitionException extends UpdraftException {
  private final Enum<?> from;
  private final Enum<?> to;

  public IllegalTransitionException(String message, Enum<?> from, Enum<?> to) {
    super(message);
    this.from = from;
    this.to = to;
  }

  public Enum<?> from() {
    return from;
  }

  public Enum<?> to() {
    return to;
  }
}
