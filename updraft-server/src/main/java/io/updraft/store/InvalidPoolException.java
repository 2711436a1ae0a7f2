package io.updraft.store;

import io.updraft.UpdraftException;

/** A pool change that Updraft refuses: a bad name or slot count, or deleting default_pool. */
public class InvalidPoolException extends UpdraftException {
  public InvalidPoolException(String message) {
    super(message);
  }
}
