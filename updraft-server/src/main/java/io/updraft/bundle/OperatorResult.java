package io.updraft.bundle;

/**
 * How a custom operator's try ended, as the child JVM writes it (JSON in a file).
 *
 * @param state {@code success}, {@code skipped} or {@code failed}
 * @param returnValue what {@code execute} returned (its XCom); null for none
 * @param error for {@code failed}: the exception, one line
 */
public record OperatorResult(String state, Object returnValue, String error) {
  public static final String SUCCESS = "success";
  public static final String SKIPPED = "skipped";
  public static final String FAILED = "failed";
}
