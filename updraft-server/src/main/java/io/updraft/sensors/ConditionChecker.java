package io.updraft.sensors;

/**
 * Checks one condition once. Implementations are thread-safe and block (callers run them on virtual
 * threads); they must return promptly when their thread is interrupted.
 */
@FunctionalInterface
public interface ConditionChecker {

  /** Never throws for a failed check: that is {@link CheckResult.Status#ERROR}. */
  CheckResult check(Condition condition, CheckEnv env) throws InterruptedException;
}
