package io.updraft.store;

import io.updraft.UpdraftException;

/**
 * The metadata database cannot be used: unreachable, at the wrong schema version, or a statement
 * failed. Messages name the database URL with any password removed, and say what to check.
 */
public class DatabaseException extends UpdraftException {
  public DatabaseException(String message) {
    super(message);
  }

  public DatabaseException(String message, Throwable cause) {
    super(message, cause);
  }
}
