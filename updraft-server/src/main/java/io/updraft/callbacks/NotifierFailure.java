package io.updraft.callbacks;

import io.updraft.UpdraftException;

/** A notifier that did not deliver: one line saying what happened (exit code, status, refusal). */
public final class NotifierFailure extends UpdraftException {
  public NotifierFailure(String message) {
    super(message);
  }

  public NotifierFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
