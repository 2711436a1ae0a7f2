package io.updraft.rules;

/** What the scheduler does with a schedulable task instance after its trigger rule is evaluated. */
public enum TriggerDecision {
  /** The rule is met: the task instance may be scheduled (if its other dependencies are met). */
  RUN,
  /** Not yet: leave the task instance as it is and look again when an upstream changes. */
  WAIT,
  /** Set the task instance to upstream_failed; it will not run. */
  UPSTREAM_FAILED,
  /** Set the task instance to skipped; it will not run. */
  SKIPPED
}
