package io.updraft.cli;

import java.io.PrintWriter;

/**
 * A component that runs until stopped ({@code standalone}, {@code scheduler}, {@code triggerer}):
 * what {@link SchedulerCommand#runUntilStopped} starts, stops on a signal and closes.
 */
interface LongRunningService extends AutoCloseable {

  /** Starts: the banner on {@code out}, what a stop does on {@code messages} (stderr). */
  void start(PrintWriter out, PrintWriter messages);

  /** Blocks until the service's main loop ended (after {@link #requestStop}). */
  void awaitStop() throws InterruptedException;

  /** Asks the main loop to end (a signal's handler). */
  void requestStop();

  /** Whether it stopped by itself (another process ended its job), not on request. */
  boolean stoppedItself();

  /** What a second Ctrl-C is told while the stop is under way. */
  String alreadyStopping();

  /** The graceful stop; once, whoever calls it first. */
  @Override
  void close();
}
