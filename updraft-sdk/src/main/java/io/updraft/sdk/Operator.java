package io.updraft.sdk;

/**
 * A custom operator written in Java: what one try of a task does. The worker creates one instance
 * per try (public no-argument constructor) in the operator's own class loader and calls {@link
 * #execute} on a thread of its own; the task's operator args arrive rendered in {@link
 * TaskContext#args()}.
 *
 * <p>Outcome: returning normally succeeds; throwing {@link SkipTaskException} marks the try
 * skipped; any other exception fails it (and it is retried if retries remain). An interrupt means
 * the try was cancelled or timed out ({@code execution_timeout}): stop promptly.
 */
@FunctionalInterface
public interface Operator {
  /**
   * Runs one try of the task.
   *
   * @return the task's result, stored as its XCom {@code return_value} for downstream tasks; null
   *     stores nothing. Must be text, a number, a boolean, or a list or map of those.
   * @throws Exception to fail the try; the message goes to the task log
   */
  Object execute(TaskContext context) throws Exception;
}
