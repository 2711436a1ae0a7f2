package io.updraft.triggerer;

import io.updraft.sensors.CheckResult;
import io.updraft.sensors.Condition;
import io.updraft.sensors.ConditionChecker;
import io.updraft.sensors.PokeSchedule;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.TaskInstanceDeferrals;
import io.updraft.worker.Durations;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One check of one wait and what follows from it (SPEC §1.9): every condition holds at this check —
 * success; one says it never will (an external task in {@code failed_states}) — failed, or skipped
 * with {@code soft_fail}; {@value #ERROR_ROUNDS} rounds in a row with an error — the try fails
 * (up_for_retry while retries are left); the timeout passed — failed, or skipped with {@code
 * soft_fail}, never retried (Airflow's AirflowSensorTimeout). Otherwise the next check is planned
 * by {@link PokeSchedule}. The try's log gets a line only when what a check found changed.
 */
final class WaitChecks {
  /** Rounds in a row whose check errored before the try fails: "persistently" (decision 0085). */
  static final int ERROR_ROUNDS = 3;

  private final ConditionChecker checker;
  private final TaskInstanceDeferrals deferrals;
  private final WaitEndings endings;
  private final Clock clock;

  WaitChecks(
      ConditionChecker checker, TaskInstanceDeferrals deferrals, WaitEndings endings, Clock clock) {
    this.checker = checker;
    this.deferrals = deferrals;
    this.endings = endings;
    this.clock = clock;
  }

  /** What one check of every condition found, worst first: failed, error, waiting, holds. */
  record Finding(CheckResult.Status status, String summary) {}

  /**
   * Checks {@code wait} once and ends it or plans its next check.
   *
   * @param scheduled the check was due (an early one, woken by a change, leaves the schedule be)
   * @return whether the wait is over (ended, or its instance moved on without it)
   */
  boolean checkOnce(SensorWait wait, boolean scheduled) throws InterruptedException {
    Instant now = clock.instant();
    if (wait.needsTimeout()) {
      startTimeout(wait, now);
    }
    Finding f = find(wait);
    TaskInstanceDeferrals.Deferred ti = wait.ti();
    boolean softFail = wait.spec().softFail();
    switch (f.status()) {
      case HOLDS -> {
        endings.end(
            ti,
            wait.task(),
            wait.log(),
            TaskInstanceState.SUCCESS,
            "check " + (wait.checksDone() + 1) + ": every condition holds: " + f.summary());
        return over(wait);
      }
      case FAILED -> {
        endings.end(
            ti,
            wait.task(),
            wait.log(),
            softFail ? TaskInstanceState.SKIPPED : TaskInstanceState.FAILED,
            "it never will hold: " + f.summary() + (softFail ? " (soft_fail)" : ""));
        return over(wait);
      }
      default -> {}
    }
    if (wait.changed(f.summary())) {
      wait.log().note("check " + (wait.checksDone() + 1) + ": " + f.summary());
    }
    Instant next =
        now.plus(
            PokeSchedule.delayAfter(
                wait.spec(), wait.checksDone() + 1, ThreadLocalRandom.current()));
    int errors = wait.checked(f.status() == CheckResult.Status.ERROR, scheduled, next);
    if (errors >= ERROR_ROUNDS) {
      endings.fail(
          ti,
          wait.task(),
          wait.logicalDate(),
          wait.log(),
          "the check errored " + errors + " rounds in a row: " + f.summary());
      return over(wait);
    }
    Instant timeoutAt = wait.timeoutAt();
    if (timeoutAt != null && !now.isBefore(timeoutAt)) {
      endings.end(
          ti,
          wait.task(),
          wait.log(),
          softFail ? TaskInstanceState.SKIPPED : TaskInstanceState.FAILED,
          "timed out: still waiting "
              + Durations.human(wait.spec().timeout())
              + " after the first check"
              + (softFail ? " (soft_fail)" : ""));
      return over(wait);
    }
    return false;
  }

  /**
   * Ended here, or found moved on (cleared, ended elsewhere, when the ending wrote nothing): either
   * way this wait is done.
   */
  private static boolean over(SensorWait wait) {
    wait.ended();
    return true;
  }

  /**
   * The first check starts the timeout; a timeout already stored (an earlier triggerer's) stays.
   */
  private void startTimeout(SensorWait wait, Instant now) {
    Instant at = now.plus(wait.spec().timeout());
    if (deferrals.startTimeout(wait.ti().id(), wait.triggerId(), at)) {
      wait.timeoutSet(at);
      return;
    }
    deferrals
        .forTrigger(wait.triggerId())
        .map(TaskInstanceDeferrals.Deferred::timeoutAt)
        .ifPresent(wait::timeoutSet);
  }

  private Finding find(SensorWait wait) throws InterruptedException {
    CheckResult.Status worst = CheckResult.Status.HOLDS;
    List<String> parts = new ArrayList<>();
    for (Condition c : wait.spec().conditions()) {
      CheckResult r;
      try {
        r = checker.check(c, wait.env());
      } catch (RuntimeException e) {
        r = CheckResult.error("internal error: " + e);
      }
      parts.add(
          c.describe()
              + ": "
              + r.status().name().toLowerCase(java.util.Locale.ROOT)
              + (r.detail().isEmpty() ? "" : " (" + r.detail() + ")"));
      if (rank(r.status()) > rank(worst)) {
        worst = r.status();
      }
      if (worst == CheckResult.Status.FAILED) {
        break;
      }
    }
    return new Finding(worst, String.join("; ", parts));
  }

  private static int rank(CheckResult.Status s) {
    return switch (s) {
      case HOLDS -> 0;
      case WAITING -> 1;
      case ERROR -> 2;
      case FAILED -> 3;
    };
  }
}
