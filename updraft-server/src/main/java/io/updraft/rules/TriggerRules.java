package io.updraft.rules;

import io.updraft.dag.TriggerRule;
import java.util.Objects;

/**
 * Evaluates a trigger rule against the states of a task's direct upstream task instances, exactly
 * as Airflow 2.10's {@code TriggerRuleDep._evaluate_direct_relatives} does when the scheduler runs
 * it (with {@code flag_upstream_failed} on). Setup/teardown tasks and mapped tasks are not part of
 * Updraft and are left out.
 *
 * <p>Airflow evaluates in two steps, and so do we:
 *
 * <ol>
 *   <li><b>Decide early</b>: some upstream outcomes settle the task for good. Then the task is set
 *       to upstream_failed or skipped and does not run, even where step 2 alone would pass (e.g.
 *       none_failed_min_one_success with every upstream skipped).
 *   <li><b>Met or not</b>: otherwise the rule is either met (RUN) or not yet (WAIT).
 * </ol>
 *
 * <p>Points worth knowing, all Airflow's behaviour:
 *
 * <ul>
 *   <li>A task with no upstream tasks, and a task with rule {@code always}, always runs.
 *   <li>{@code all_success} with a skipped upstream is skipped (skips propagate down a chain of
 *       default tasks); with a failed or upstream_failed upstream it is upstream_failed. Failure
 *       wins over skip.
 *   <li>{@code one_success}, {@code one_failed} and {@code one_done} run as soon as one upstream
 *       qualifies, without waiting for the others.
 *   <li>A removed upstream counts as done but as neither success nor failure. So {@code
 *       all_success}, {@code all_failed}, {@code all_skipped}, {@code none_failed} and {@code
 *       none_failed_min_one_success} never become met while one of their upstream tasks is removed:
 *       the task waits until the scheduler's deadlock detection fails the run (Airflow only
 *       discounts removed upstreams for mapped task instances).
 * </ul>
 */
public final class TriggerRules {
  private TriggerRules() {}

  public static TriggerRuleEvaluation evaluate(TriggerRule rule, UpstreamStates up) {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(up, "upstream states");
    if (up.total() == 0) {
      return run("the task has no upstream tasks");
    }
    if (rule == TriggerRule.ALWAYS) {
      return run("trigger rule 'always'");
    }
    TriggerDecision early = decideEarly(rule, up);
    if (early != null) {
      return new TriggerRuleEvaluation(
          early, "trigger rule '" + rule.id() + "' can no longer be met: " + up);
    }
    String unmet = unmet(rule, up);
    return unmet == null
        ? run("trigger rule '" + rule.id() + "' is met: " + up)
        : new TriggerRuleEvaluation(
            TriggerDecision.WAIT, "trigger rule '" + rule.id() + "' " + unmet + ": " + up);
  }

  /** Shorthand for {@code evaluate(rule, up).decision()}. */
  public static TriggerDecision decide(TriggerRule rule, UpstreamStates up) {
    return evaluate(rule, up).decision();
  }

  /** Step 1: the outcome that settles the task for good, or null. */
  private static TriggerDecision decideEarly(TriggerRule rule, UpstreamStates up) {
    boolean anyFailure = up.failed() > 0 || up.upstreamFailed() > 0;
    return switch (rule) {
      case ALL_SUCCESS ->
          anyFailure
              ? TriggerDecision.UPSTREAM_FAILED
              : up.skipped() > 0 ? TriggerDecision.SKIPPED : null;
      case ALL_FAILED -> up.success() > 0 || up.skipped() > 0 ? TriggerDecision.SKIPPED : null;
      case ONE_SUCCESS -> {
        if (up.allDone() && up.done() == up.skipped()) {
          yield TriggerDecision.SKIPPED;
        }
        yield up.allDone() && up.success() == 0 ? TriggerDecision.UPSTREAM_FAILED : null;
      }
      case ONE_FAILED -> up.allDone() && !anyFailure ? TriggerDecision.SKIPPED : null;
      case ONE_DONE ->
          up.allDone() && up.failed() == 0 && up.success() == 0 ? TriggerDecision.SKIPPED : null;
      case NONE_FAILED -> anyFailure ? TriggerDecision.UPSTREAM_FAILED : null;
      case NONE_FAILED_MIN_ONE_SUCCESS ->
          anyFailure
              ? TriggerDecision.UPSTREAM_FAILED
              : up.skipped() == up.total() ? TriggerDecision.SKIPPED : null;
      case NONE_SKIPPED -> up.skipped() > 0 ? TriggerDecision.SKIPPED : null;
      case ALL_SKIPPED -> up.success() > 0 || anyFailure ? TriggerDecision.SKIPPED : null;
      case ALL_DONE, ALWAYS -> null;
    };
  }

  /** Step 2: why the rule is not met yet, or null when it is met. */
  private static String unmet(TriggerRule rule, UpstreamStates up) {
    return switch (rule) {
      case ONE_SUCCESS -> up.success() > 0 ? null : "needs one upstream success";
      case ONE_FAILED ->
          up.failed() + up.upstreamFailed() > 0 ? null : "needs one upstream failure";
      case ONE_DONE ->
          up.success() + up.failed() > 0 ? null : "needs one upstream success or failure";
      case ALL_SUCCESS ->
          up.total() - up.success() > 0
              ? "needs all upstream tasks successful, " + (up.total() - up.success()) + " are not"
              : null;
      case ALL_FAILED -> {
        int notFailed = up.total() - up.failed() - up.upstreamFailed();
        yield notFailed > 0 ? "needs all upstream tasks failed, " + notFailed + " are not" : null;
      }
      case ALL_DONE ->
          up.allDone()
              ? null
              : "needs all upstream tasks done, " + (up.total() - up.done()) + " are not";
      case NONE_FAILED, NONE_FAILED_MIN_ONE_SUCCESS -> {
        int pending = up.total() - up.success() - up.skipped();
        yield pending > 0
            ? "needs all upstream tasks successful or skipped, " + pending + " are not"
            : null;
      }
      case NONE_SKIPPED ->
          up.allDone() && up.skipped() == 0
              ? null
              : "needs all upstream tasks done and none skipped";
      case ALL_SKIPPED -> {
        int notSkipped = up.total() - up.skipped();
        yield notSkipped > 0
            ? "needs all upstream tasks skipped, " + notSkipped + " are not"
            : null;
      }
      case ALWAYS -> null;
    };
  }

  private static TriggerRuleEvaluation run(String reason) {
    return new TriggerRuleEvaluation(TriggerDecision.RUN, reason);
  }
}
