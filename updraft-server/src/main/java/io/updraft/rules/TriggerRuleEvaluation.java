package io.updraft.rules;

import java.util.Objects;

/**
 * The result of evaluating a trigger rule.
 *
 * @param reason one line a user can read, e.g. for "why is my task not running?"
 */
public record TriggerRuleEvaluation(TriggerDecision decision, String reason) {
  public TriggerRuleEvaluation {
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(reason, "reason");
  }
}
