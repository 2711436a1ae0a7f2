package io.updraft.worker.operators;

import io.updraft.sdk.SkipTaskException;
import io.updraft.sensors.CheckEnv;
import io.updraft.sensors.CheckResult;
import io.updraft.sensors.Condition;
import io.updraft.sensors.ConditionChecker;
import io.updraft.sensors.PokeSchedule;
import io.updraft.sensors.SensorArgumentException;
import io.updraft.sensors.SensorMode;
import io.updraft.sensors.SensorSpec;
import io.updraft.worker.Durations;
import io.updraft.worker.Pause;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * {@code sensor} (SPEC §1.9) on a worker: {@code reschedule} checks once per try and pauses the try
 * ({@link Pause.Reschedule}) while it waits, holding nothing; {@code poke} checks in a loop inside
 * one try, holding its slot. A {@code defer} sensor normally never reaches a worker (the triggerer
 * ends it); one that does ({@code tasks test}, {@code dags test} without a triggerer) checks like
 * {@code poke} (docs/decisions/0077).
 *
 * <p>Every mode holds when all conditions hold at one check, fails at once when an {@code
 * external_task} is in a failed state, and on {@code timeout} — counted from the first check,
 * across reschedules — fails, or is skipped with {@code soft_fail}. A check that errors is retried
 * at the next check. The log gets a line per check that changed something, not one per poke.
 */
final class SensorOperator implements InJvmOperator {

  private final ConditionChecker checker;
  private final Supplier<RandomGenerator> random;

  SensorOperator(ConditionChecker checker) {
    this(checker, ThreadLocalRandom::current);
  }

  /**
   * @param random the jitter of {@code exponential_backoff} (tests pass a seeded one)
   */
  SensorOperator(ConditionChecker checker, Supplier<RandomGenerator> random) {
    this.checker = Objects.requireNonNull(checker, "checker");
    this.random = Objects.requireNonNull(random, "random");
  }

  @Override
  public Object execute(OperatorContext ctx) throws InterruptedException {
    if (ctx.runDates() == null) {
      throw new OperatorFailure(null, "a sensor needs its run's dates, which this try lacks");
    }
    SensorSpec spec;
    try {
      spec = SensorSpec.fromArgs(ctx.args(), ctx.runDates());
    } catch (SensorArgumentException e) {
      throw new OperatorFailure(null, e.getMessage());
    }
    CheckEnv env =
        new CheckEnv(ctx.clock(), ctx.connections(), ctx.external(), ctx.dagFolder(), ctx.env());
    Instant first = ctx.firstCheck() == null ? ctx.clock().instant() : ctx.firstCheck();
    Instant deadline = first.plus(spec.timeout());
    if (spec.mode() == SensorMode.RESCHEDULE) {
      return reschedule(ctx, spec, env, first, deadline);
    }
    if (spec.mode() == SensorMode.DEFER) {
      ctx.note("mode defer without a triggerer here: checking inside this try, as poke does");
    }
    return poke(ctx, spec, env, deadline);
  }

  /** What one check of every condition found. */
  private record Round(List<CheckResult> results) {
    boolean holds() {
      return results.stream().allMatch(r -> r.status() == CheckResult.Status.HOLDS);
    }

    int holding() {
      return (int) results.stream().filter(r -> r.status() == CheckResult.Status.HOLDS).count();
    }

    CheckResult failed() {
      return results.stream()
          .filter(r -> r.status() == CheckResult.Status.FAILED)
          .findFirst()
          .orElse(null);
    }
  }

  private Round round(SensorSpec spec, CheckEnv env) throws InterruptedException {
    List<CheckResult> out = new ArrayList<>();
    for (Condition c : spec.conditions()) {
      out.add(checker.check(c, env));
    }
    return new Round(out);
  }

  private Object poke(OperatorContext ctx, SensorSpec spec, CheckEnv env, Instant deadline)
      throws InterruptedException {
    Map<Integer, CheckResult> last = new HashMap<>();
    for (int checks = 1; ; checks++) {
      Round r = round(spec, env);
      for (int i = 0; i < r.results().size(); i++) {
        CheckResult now = r.results().get(i);
        if (!now.equals(last.put(i, now))) {
          ctx.note(line(spec.conditions().get(i), now));
        }
      }
      Instant next = nextCheck(ctx, spec, r, checks, deadline);
      if (next == null) {
        return null;
      }
      Duration wait = Duration.between(ctx.clock().instant(), next);
      if (wait.isPositive()) {
        Thread.sleep(wait);
      }
    }
  }

  private Object reschedule(
      OperatorContext ctx, SensorSpec spec, CheckEnv env, Instant first, Instant deadline)
      throws InterruptedException {
    Instant start = ctx.clock().instant();
    int checks = PokeSchedule.checksWithin(spec, Duration.between(first, start));
    Round r = round(spec, env);
    for (int i = 0; i < r.results().size(); i++) {
      CheckResult result = r.results().get(i);
      if (result.status() != CheckResult.Status.HOLDS || r.holds()) {
        ctx.note(line(spec.conditions().get(i), result));
      }
    }
    Instant at = nextCheck(ctx, spec, r, checks, deadline);
    if (at == null) {
      return null;
    }
    ctx.note(
        r.holding()
            + " of "
            + r.results().size()
            + " conditions hold; checking again at "
            + at
            + " (timeout at "
            + deadline
            + ")");
    throw new OperatorPause(new Pause.Reschedule(at));
  }

  /**
   * When to check next after the {@code checks}-th check found {@code r}: never after the timeout;
   * null when the sensor holds. A failed condition fails the try, a timeout fails or skips it.
   */
  private Instant nextCheck(
      OperatorContext ctx, SensorSpec spec, Round r, int checks, Instant deadline) {
    if (holds(ctx, spec, r, checks)) {
      return null;
    }
    Instant now = ctx.clock().instant();
    if (!now.isBefore(deadline)) {
      throw timedOut(spec, r);
    }
    Instant at = now.plus(PokeSchedule.delayAfter(spec, checks, random.get()));
    return at.isAfter(deadline) ? deadline : at;
  }

  /** Whether the sensor holds (noted); a failed condition fails the try at once. */
  private static boolean holds(OperatorContext ctx, SensorSpec spec, Round r, int checks) {
    CheckResult failed = r.failed();
    if (failed != null) {
      throw new OperatorFailure(null, "a condition failed: " + failed.detail());
    }
    if (r.holds()) {
      ctx.note(
          (spec.conditions().size() == 1
                  ? "the condition holds"
                  : "all " + spec.conditions().size() + " conditions hold")
              + " (check "
              + checks
              + ")");
      return true;
    }
    return false;
  }

  private static RuntimeException timedOut(SensorSpec spec, Round r) {
    List<String> waiting = new ArrayList<>();
    for (int i = 0; i < r.results().size(); i++) {
      if (r.results().get(i).status() != CheckResult.Status.HOLDS) {
        waiting.add(spec.conditions().get(i).describe() + " (" + r.results().get(i).detail() + ")");
      }
    }
    String message =
        "the sensor timed out after "
            + Durations.human(spec.timeout())
            + " waiting for "
            + String.join("; ", waiting);
    return spec.softFail()
        ? new SkipTaskException(message + " — soft_fail skips it")
        : new SensorTimedOut(message);
  }

  private static String line(Condition c, CheckResult r) {
    String status = r.status().name().toLowerCase(java.util.Locale.ROOT);
    return c.describe() + ": " + status + (r.detail().isEmpty() ? "" : " — " + r.detail());
  }
}
