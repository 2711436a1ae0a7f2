package io.updraft.worker;

import io.updraft.util.ProcessTree;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one process for a try: streams its stdout and stderr into the try's log ({@link
 * OutputPump}), remembers the last non-blank stdout line ({@link LastLine}), calls the heartbeat,
 * and on timeout or cancellation ends the whole process tree ({@link ProcessTree}); if this JVM
 * dies first, its {@link OrphanReaper} ends the tree. Shared by {@code shell}, {@code branch} and
 * {@code short_circuit}.
 *
 * <p>A try ends when the process has exited <em>and</em> its output pipes are closed, as in Airflow
 * (which reads the output to its end): a background child that keeps stdout open keeps the try
 * running. The timeout still bounds that case; after killing, the runner waits at most the grace
 * period for the pipes and then stops reading them.
 *
 * <p>Each pipe is read by a platform daemon thread of its own while the try runs: a blocking pipe
 * read would pin a virtual thread's carrier, and a reader stuck on a pipe held by an escaped
 * process must not keep the JVM alive. The threads come from a pool shared by all tries ({@link
 * #READERS}) and go back to it when their pipe closes, so a short try starts no thread (starting
 * two per try was a fifth of the engine's CPU for a {@code true} task, issue 15); a thread idle for
 * a minute ends.
 */
final class ProcessRunner {

  /** The pipe readers of every try of this JVM: as many as pipes being read, reused. */
  private static final ExecutorService READERS =
      Executors.newCachedThreadPool(
          Thread.ofPlatform().daemon().name("updraft-output-", 0).factory());

  private final Duration killGrace;
  private final Duration heartbeatInterval;
  private final int lastLineBound;

  /**
   * @param lastLineBound the longest last stdout line kept whole (the XCom size limit)
   */
  ProcessRunner(Duration killGrace, Duration heartbeatInterval, int lastLineBound) {
    this.killGrace = killGrace;
    this.heartbeatInterval = heartbeatInterval;
    this.lastLineBound = lastLineBound;
  }

  /**
   * Starts the process and waits for it.
   *
   * @param cancel completed to cancel the try from outside (with its reason and kill grace)
   * @throws IOException when the process cannot be started
   */
  ProcessResult run(
      ProcessSpec spec,
      TryLog log,
      Heartbeat heartbeat,
      Clock clock,
      CompletableFuture<Cancellation> cancel)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(spec.command()).directory(spec.cwd().toFile());
    builder.environment().clear();
    builder.environment().putAll(spec.env());
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process process = builder.start();
    OrphanReaper.started(process.toHandle());
    try {
      return supervise(spec, process, log, heartbeat, clock, cancel);
    } finally {
      OrphanReaper.ended(process.toHandle());
    }
  }

  private ProcessResult supervise(
      ProcessSpec spec,
      Process process,
      TryLog log,
      Heartbeat heartbeat,
      Clock clock,
      CompletableFuture<Cancellation> cancel) {
    log.flush(); // the try's header lines, now that the process runs: one write for them all

    LastLine lastStdout = new LastLine(lastLineBound);
    CompletableFuture<Void> stdoutDone =
        pump(new OutputPump(process.getInputStream(), log, lastStdout));
    CompletableFuture<Void> stderrDone = pump(new OutputPump(process.getErrorStream(), log, null));
    CompletableFuture<Void> pipesDone = CompletableFuture.allOf(stdoutDone, stderrDone);
    CompletableFuture<Void> finished = CompletableFuture.allOf(process.onExit(), pipesDone);

    ProcessResult.Ending ending = null;
    boolean interrupted = false;
    Set<ProcessHandle> seen = new LinkedHashSet<>();
    long start = System.nanoTime();
    long interval = heartbeatInterval.toNanos();
    long nextBeat = start + interval;
    Long deadline = spec.timeout() == null ? null : start + spec.timeout().toNanos();
    while (ending == null) {
      long now = System.nanoTime();
      if (deadline != null && now - deadline >= 0) {
        ending = ProcessResult.Ending.TIMED_OUT;
        break;
      }
      long wait = nextBeat - now;
      if (deadline != null) {
        wait = Math.min(wait, deadline - now);
      }
      try {
        CompletableFuture.anyOf(finished, cancel).get(Math.max(wait, 0), TimeUnit.NANOSECONDS);
      } catch (TimeoutException | ExecutionException e) {
        // time for a heartbeat or the deadline: checked below
      } catch (InterruptedException e) {
        interrupted = true;
        ending = ProcessResult.Ending.CANCELLED;
        break;
      }
      if (finished.isDone()) {
        ending = ProcessResult.Ending.EXITED;
      } else if (cancel.isDone()) {
        ending = ProcessResult.Ending.CANCELLED;
      } else if (System.nanoTime() - nextBeat >= 0) {
        heartbeat.beat(clock.instant());
        // Remember the tree now, so children that are re-parented later can still be killed.
        seen.addAll(ProcessTree.snapshot(process.toHandle()));
        nextBeat += interval;
      }
    }

    if (ending != ProcessResult.Ending.EXITED) {
      log.note(
          ending == ProcessResult.Ending.TIMED_OUT
              ? "timed out after " + Durations.human(spec.timeout()) + ": killing the process tree"
              : "cancelled (" + Cancellation.reasonOf(cancel) + "): killing the process tree");
      Duration grace = graceOf(cancel, ending);
      ProcessTree.kill(process.toHandle(), seen, grace);
      awaitPipes(pipesDone, process, grace);
    }
    int exitCode = waitFor(process);
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    // The stdout reader has ended, or was given up on after a kill: then the value is not used.
    LastLine.Value last = stdoutDone.isDone() ? lastStdout.finish() : LastLine.Value.NONE;
    return new ProcessResult(exitCode, last, ending);
  }

  /** A cancellation may bring its own grace (a stopping scheduler's); otherwise the runner's. */
  private Duration graceOf(CompletableFuture<Cancellation> cancel, ProcessResult.Ending ending) {
    Cancellation c = ending == ProcessResult.Ending.CANCELLED ? cancel.getNow(null) : null;
    return c == null || c.killGrace() == null ? killGrace : c.killGrace();
  }

  private static CompletableFuture<Void> pump(OutputPump pump) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    READERS.execute(
        () -> {
          try {
            pump.run();
          } finally {
            done.complete(null);
          }
        });
    return done;
  }

  /**
   * After a kill, the pipes close once every writer is gone. One held by a process outside the tree
   * would block forever: stop waiting after the grace period and close our ends.
   */
  private static void awaitPipes(
      CompletableFuture<Void> pipesDone, Process process, Duration grace) {
    try {
      pipesDone.get(grace.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      closeQuietly(process);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeQuietly(process);
    }
  }

  private static void closeQuietly(Process process) {
    try {
      process.getInputStream().close();
      process.getErrorStream().close();
    } catch (IOException e) {
      // nothing more to do: the reader threads are daemons and end with the pipe's last writer
    }
  }

  private static int waitFor(Process process) {
    boolean interrupted = false;
    while (true) {
      try {
        int code = process.waitFor();
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
        return code;
      } catch (InterruptedException e) {
        interrupted = true; // the process is dead or dying: finish waiting, then restore the flag
      }
    }
  }
}
