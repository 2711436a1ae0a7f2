package io.updraft.worker.operators;

import io.updraft.worker.Cancellation;
import io.updraft.worker.Heartbeat;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs an {@link InJvmOperator} on a virtual thread of its own with the same guarantees a process
 * gets from the process runner: heartbeats while it runs, {@code execution_timeout}, and cancel. On
 * timeout or cancel it runs the operator's abort actions (which cut a blocking request or statement
 * short) and interrupts its thread, then waits at most the grace period for it to end.
 */
public final class InJvmRunner {

  /** How the operator ended. */
  public enum Ending {
    RETURNED,
    FAILED,
    TIMED_OUT,
    CANCELLED
  }

  /**
   * @param value the return value when {@link Ending#RETURNED}
   * @param error the failure when {@link Ending#FAILED}
   */
  public record Outcome(Ending ending, Object value, RuntimeException error) {}

  private final Duration grace;
  private final Duration heartbeatInterval;

  public InJvmRunner(Duration grace, Duration heartbeatInterval) {
    this.grace = grace;
    this.heartbeatInterval = heartbeatInterval;
  }

  /** Runs the operator and waits for it, calling {@code heartbeat} every interval. */
  public Outcome run(
      InJvmOperator operator,
      OperatorContext ctx,
      Heartbeat heartbeat,
      Clock clock,
      CompletableFuture<Cancellation> cancel) {
    CompletableFuture<Outcome> done = new CompletableFuture<>();
    Thread thread =
        Thread.ofVirtual()
            .name("updraft-operator-" + ctx.taskId())
            .start(
                () -> {
                  try {
                    done.complete(new Outcome(Ending.RETURNED, operator.execute(ctx), null));
                  } catch (InterruptedException e) {
                    done.complete(new Outcome(Ending.CANCELLED, null, null));
                  } catch (RuntimeException e) {
                    done.complete(new Outcome(Ending.FAILED, null, e));
                  } catch (Throwable t) {
                    done.complete(
                        new Outcome(Ending.FAILED, null, new IllegalStateException(t.toString())));
                  }
                });
    long start = System.nanoTime();
    long interval = heartbeatInterval.toNanos();
    long nextBeat = start + interval;
    Long deadline = ctx.timeout() == null ? null : start + ctx.timeout().toNanos();
    Ending stop = null;
    boolean interrupted = false;
    while (!done.isDone() && stop == null) {
      long now = System.nanoTime();
      if (deadline != null && now - deadline >= 0) {
        stop = Ending.TIMED_OUT;
        break;
      }
      long wait = nextBeat - now;
      if (deadline != null) {
        wait = Math.min(wait, deadline - now);
      }
      try {
        CompletableFuture.anyOf(done, cancel).get(Math.max(wait, 0), TimeUnit.NANOSECONDS);
      } catch (TimeoutException | ExecutionException e) {
        // a heartbeat or the deadline is due: checked below
      } catch (InterruptedException e) {
        interrupted = true;
        stop = Ending.CANCELLED;
        break;
      }
      if (done.isDone()) {
        break;
      }
      if (cancel.isDone()) {
        stop = Ending.CANCELLED;
      } else if (System.nanoTime() - nextBeat >= 0) {
        heartbeat.beat(clock.instant());
        nextBeat += interval;
      }
    }
    if (stop != null && !done.isDone()) {
      ctx.note(
          stop == Ending.TIMED_OUT
              ? "timed out after " + ctx.timeout() + ": stopping the operator"
              : "cancelled (" + reason(cancel) + "): stopping the operator");
      for (Runnable abort : ctx.aborts()) {
        try {
          abort.run();
        } catch (RuntimeException e) {
          ctx.note("stopping the operator: " + OperatorFailure.causeOf(e));
        }
      }
      thread.interrupt();
      Cancellation c = cancel.getNow(null);
      Duration wait = c != null && c.killGrace() != null ? c.killGrace() : grace;
      try {
        done.get(wait.toNanos(), TimeUnit.NANOSECONDS);
      } catch (TimeoutException | ExecutionException e) {
        ctx.note("the operator did not stop within " + wait + "; its thread is left to end");
      } catch (InterruptedException e) {
        interrupted = true;
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      return new Outcome(stop, null, null);
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return done.join();
  }

  private static String reason(CompletableFuture<Cancellation> cancel) {
    Cancellation c = cancel.getNow(null);
    return c == null ? "interrupted" : c.reason();
  }
}
