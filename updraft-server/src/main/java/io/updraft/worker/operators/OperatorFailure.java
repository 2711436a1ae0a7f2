package io.updraft.worker.operators;

import io.updraft.UpdraftException;

/**
 * Why an in-JVM operator's try failed, as one line: the connection it used (if any) and the cause —
 * an unknown connection, an unreachable host, an unexpected HTTP status, an SQL error, a refused
 * mail. The try's error line adds the task ({@code task 'load' (connection 'warehouse'): ...}).
 */
public final class OperatorFailure extends UpdraftException {
  private final String connId;

  public OperatorFailure(String connId, String message) {
    super(message);
    this.connId = connId;
  }

  public OperatorFailure(String connId, String message, Throwable cause) {
    super(message, cause);
    this.connId = connId;
  }

  /** The connection the operator used, or null. */
  public String connId() {
    return connId;
  }

  /** The line for the try's log and outcome: task, connection and cause. */
  public String line(String taskId) {
    return "task '"
        + taskId
        + "'"
        + (connId == null ? "" : " (connection '" + connId + "')")
        + ": "
        + oneLine(getMessage());
  }

  /** Messages of drivers and servers may span lines; the try's error is one. */
  public static String oneLine(String text) {
    return text == null ? "" : text.strip().replaceAll("\\s*\\R\\s*", " ");
  }

  /** The message of {@code e} and of its causes that add something, joined with ": ". */
  public static String causeOf(Throwable e) {
    StringBuilder b = new StringBuilder();
    for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
      String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
      if (b.indexOf(m) < 0) {
        if (!b.isEmpty()) {
          b.append(": ");
        }
        b.append(m);
      }
    }
    return oneLine(b.toString());
  }
}
