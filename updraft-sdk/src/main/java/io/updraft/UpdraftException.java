package io.updraft;

/**
 * The base of every exception Updraft throws on purpose. Messages say what is wrong, with the
 * context (DAG, task, file, line), and what to do about it.
 */
public class UpdraftException extends RuntimeException {
  public UpdraftException(String message) {
    super(message);
  }

  public UpdraftException(String message, Throwable cause) {
    super(message, cause);
  }
}
