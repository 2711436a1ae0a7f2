package io.updraft.e2e;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a deadline, never for a fixed time. */
public final class Await {
  private static final Duration POLL = Duration.ofMillis(100);

  private Await() {}

  /**
   * Polls {@code condition} until it holds; fails after {@code timeout} with {@code what} and the
   * {@code diagnostics} (e.g. the processes' output) in the message.
   */
  public static void until(
      String what, Duration timeout, BooleanSupplier condition, Supplier<String> diagnostics) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "timed out after " + timeout + " waiting for " + what + "\n" + diagnostics.get());
      }
      try {
        Thread.sleep(POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      }
    }
  }

  /**
   * As {@link #until}, with the process's output as diagnostics, and a condition that throws
   * counting as not yet: a row not written yet, H2 between owners, a command asserted to succeed
   * that cannot yet.
   */
  public static void untilQuietly(
      String what, Duration timeout, BooleanSupplier condition, ChildJvm process) {
    until(
        what,
        timeout,
        () -> {
          try {
            return condition.getAsBoolean();
          } catch (RuntimeException | AssertionError e) {
            return false; // e.g. a CLI call that found no log yet
          }
        },
        process::describe);
  }
}
