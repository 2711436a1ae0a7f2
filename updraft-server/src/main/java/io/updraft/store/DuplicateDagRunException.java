package io.updraft.store;

import io.updraft.UpdraftException;

/** A DAG run that would repeat the run_id or the logical date of an existing run of its DAG. */
public class DuplicateDagRunException extends UpdraftException {
  public DuplicateDagRunException(String message, Throwable cause) {
    super(message, cause);
  }
}
