package io.updraft.logs;

import io.updraft.UpdraftException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code tasks logs --follow}: prints a try's log as it grows until the try is over — as the
 * metadata database says, not as the file looks — and then the rest, so the footer is never missed.
 * A try that has not started yet (a queued task) is waited for; a try that runs but whose log does
 * not show up within {@link #LOG_APPEARS_WITHIN} runs elsewhere (another machine's logs folder).
 */
public final class LogFollower {

  /** Where the followed try is, as the database says. */
  public enum TryState {
    /** Not started yet: its task instance is waiting to run it. */
    WAITING,
    /** Running: its log may still grow. */
    RUNNING,
    /** Over (or will never run): its log is complete. */
    ENDED
  }

  /** Reads the followed try's state from the database. */
  @FunctionalInterface
  public interface Watch {
    TryState state();
  }

  public static final Duration LOG_APPEARS_WITHIN = Duration.ofSeconds(30);

  /** How often the file is looked at while nothing new came; state reads are rarer. */
  private static final long POLL_MS = 100;

  private static final long STATE_EVERY_MS = 500;

  private final LogPrinter printer;
  private final Path log;
  private final Watch watch;
  private final String what;

  /**
   * @param what the try, for messages: {@code try 2 of extract in RUN}
   */
  public LogFollower(LogPrinter printer, Path log, Watch watch, String what) {
    this.printer = printer;
    this.log = log;
    this.watch = watch;
    this.what = what;
  }

  /**
   * Follows the log to the try's end.
   *
   * @param tail how many last lines of what is there already to print; null: all of it
   * @param waiting told once when the try has not started yet (a line for stderr)
   */
  public void follow(Integer tail, java.util.function.Consumer<String> waiting)
      throws IOException, LogPrinter.OutputClosed, InterruptedException {
    TryState state = watch.state();
    if (state == TryState.WAITING) {
      waiting.accept("waiting for " + what + " to start...");
    }
    long runningSince = state == TryState.RUNNING ? System.nanoTime() : 0;
    FileChannel opened;
    while ((opened = openIfThere()) == null) {
      if (state == TryState.ENDED) {
        throw new UpdraftException(what + " ended without a log at " + log);
      }
      if (state == TryState.RUNNING) {
        if (runningSince == 0) {
          runningSince = System.nanoTime();
        } else if (System.nanoTime() - runningSince > LOG_APPEARS_WITHIN.toNanos()) {
          throw new UpdraftException(
              what + " is running but has no log at " + log + " — it runs on another machine");
        }
      }
      Thread.sleep(POLL_MS); // polling a file that is not there yet, as tail -F does
      state = watch.state();
    }
    try (FileChannel in = opened) {
      long pos = tail == null ? 0 : LogPrinter.tailStart(in, tail);
      long nextState = System.nanoTime() + STATE_EVERY_MS * 1_000_000;
      while (true) {
        long before = pos;
        pos = printer.copy(in, pos);
        if (state == TryState.ENDED) {
          return; // the state was read before that copy: it took the log to its end
        }
        if (pos == before) {
          Thread.sleep(POLL_MS); // nothing new: look again soon, as tail -f does
        }
        if (System.nanoTime() - nextState >= 0) {
          state = watch.state();
          nextState = System.nanoTime() + STATE_EVERY_MS * 1_000_000;
        }
      }
    }
  }

  private FileChannel openIfThere() throws IOException {
    try {
      return LogPrinter.open(log);
    } catch (NoSuchFileException e) {
      return null;
    }
  }
}
