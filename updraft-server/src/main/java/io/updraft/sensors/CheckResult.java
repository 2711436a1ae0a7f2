package io.updraft.sensors;

import java.util.Objects;

/**
 * What one check of one condition found.
 *
 * @param detail one line saying why (what was found, what is missing, the error); never a secret
 */
public record CheckResult(Status status, String detail) {

  public enum Status {
    /** The condition holds. */
    HOLDS,
    /** Not yet; check again later. */
    WAITING,
    /** It never will: the sensor fails at once (an external task in a {@code failed_states}). */
    FAILED,
    /**
     * The check itself failed (unreachable host, unknown connection); retried at the next check.
     */
    ERROR
  }

  public CheckResult {
    Objects.requireNonNull(status, "status");
    detail = detail == null ? "" : detail;
  }

  public static CheckResult holds(String detail) {
    return new CheckResult(Status.HOLDS, detail);
  }

  public static CheckResult waiting(String detail) {
    return new CheckResult(Status.WAITING, detail);
  }

  public static CheckResult failed(String detail) {
    return new CheckResult(Status.FAILED, detail);
  }

  public static CheckResult error(String detail) {
    return new CheckResult(Status.ERROR, detail);
  }
}
