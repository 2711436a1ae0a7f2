package io.updraft.worker.operators;

/**
 * A built-in operator that runs inside the worker's JVM on a virtual thread, without a process:
 * {@code http}, {@code sql}, {@code email}, {@code trigger_dag}. It must stop promptly when its
 * thread is interrupted, and may register an abort action ({@link OperatorContext#onAbort}) that
 * cuts a blocking call short (cancel an HTTP exchange, a JDBC statement, close a mail socket).
 */
@FunctionalInterface
public interface InJvmOperator {

  /**
   * Runs the operator once.
   *
   * @return the return value (XCom {@code return_value}), or null for none
   * @throws OperatorFailure when the try fails for a reason the user can fix
   * @throws InterruptedException when the try was cancelled or timed out
   */
  Object execute(OperatorContext context) throws InterruptedException;
}
