package io.updraft.worker;

import io.updraft.bundle.OperatorRequest;
import io.updraft.bundle.OperatorResult;
import io.updraft.util.ProcessTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The warm JVMs that run custom operators' tries (decisions/0140): kept per code bundle, each
 * running one try at a time. A try takes an idle JVM of its bundle, or starts one; at most {@link
 * OperatorJvmSettings#perBundle} are kept per bundle, and a try that finds them all busy gets one
 * that is stopped after it. A JVM that ended during its try (user code called {@code System.exit},
 * it crashed, it was killed) fails only that try and is never reused; a try past its {@code
 * execution_timeout} or cancelled ends its JVM's whole process tree, as a shell task's. Idle JVMs
 * are stopped after {@link OperatorJvmSettings#idleTimeout}; when a DAG file's code changes (a new
 * bundle), the idle JVMs of its former bundle are stopped at once.
 *
 * <p>Thread-safe; one per {@link TaskRunner}.
 */
final class OperatorJvms implements AutoCloseable {

  /** How a try in a warm JVM ended: the result is null when the JVM ended before giving one. */
  record Outcome(ProcessResult.Ending ending, OperatorResult result, Integer exitCode) {}

  private final OperatorJvmSettings settings;
  private final Duration killGrace;
  private final Duration heartbeatInterval;
  private final Map<String, Deque<OperatorJvm>> idle = new HashMap<>();
  private final Map<String, Integer> counts = new HashMap<>();
  private final Map<Path, String> latestBundleOfFile = new HashMap<>();
  private final Set<String> seenBundles = new HashSet<>();
  private ScheduledExecutorService reaper;
  private boolean closed;

  OperatorJvms(OperatorJvmSettings settings, Duration killGrace, Duration heartbeatInterval) {
    this.settings = settings;
    this.killGrace = killGrace;
    this.heartbeatInterval = heartbeatInterval;
  }

  /**
   * Runs one try in a warm JVM of the bundle and waits for it, beating {@code heartbeat}, until it
   * returns, its JVM ends, {@code timeout} passes (null: none) or {@code cancel} completes.
   *
   * @param dagFile the DAG file the bundle came from (null: unknown), to retire its former bundle
   * @throws IOException when no JVM can be started or given the try
   */
  Outcome run(
      String bundleHash,
      Path jar,
      Path dagFile,
      OperatorRequest request,
      Map<String, String> env,
      Path tempRoot,
      TryLog log,
      Heartbeat heartbeat,
      Clock clock,
      Duration timeout,
      CompletableFuture<Cancellation> cancel)
      throws IOException {
    // An idle JVM that ended between tries (killed, out of memory) is never handed out: acquire
    // checks that it is alive.
    Lease lease = acquire(bundleHash, jar, dagFile, env, tempRoot);
    OperatorJvm.Try t = new OperatorJvm.Try(log);
    OperatorJvm jvm = lease.jvm;
    log.note(
        (lease.started ? "started" : "reusing")
            + " operator JVM "
            + jvm.pid()
            + (lease.kept
                ? ""
                : " (all warm JVMs of this bundle are busy: this one ends after the try)"));
    boolean healthy = false;
    try {
      try {
        jvm.send(request, t);
      } catch (IOException e) {
        // the JVM has ended: the wait below sees it
      }
      Set<ProcessHandle> seen = new LinkedHashSet<>();
      ProcessResult.Ending ending = await(jvm, t, heartbeat, clock, timeout, cancel, seen);
      if (ending != ProcessResult.Ending.EXITED) {
        Duration grace = graceOf(cancel, ending);
        log.note(
            (ending == ProcessResult.Ending.TIMED_OUT
                    ? "timed out after " + Durations.human(timeout)
                    : "cancelled (" + Cancellation.reasonOf(cancel) + ")")
                + ": killing the operator's JVM "
                + jvm.pid()
                + " and its process tree");
        ProcessTree.kill(jvm.handle(), seen, grace);
        return new Outcome(ending, null, jvm.exitCode(grace.toMillis()));
      }
      OperatorResult result = t.result.getNow(null);
      if (result == null) {
        return new Outcome(ending, null, jvm.exitCode(killGrace.toMillis()));
      }
      healthy = true;
      return new Outcome(ending, result, 0);
    } finally {
      jvm.finish(t);
      release(lease, healthy);
    }
  }

  /** The one-line error of a try whose JVM ended before the operator returned. */
  static String endedEarly(Integer exitCode) {
    if (exitCode == null) {
      return "the operator's JVM ended before the operator returned";
    }
    if (exitCode > 128 && exitCode < 160) {
      return "the operator's JVM was killed (signal "
          + (exitCode - 128)
          + ") before the operator returned";
    }
    return "the operator's JVM exited with code "
        + exitCode
        + " before the operator returned (did it call System.exit?)";
  }

  /** Stops every idle JVM; busy ones are stopped when their try ends. */
  @Override
  public void close() {
    List<OperatorJvm> stop = new ArrayList<>();
    synchronized (this) {
      closed = true;
      idle.values().forEach(stop::addAll);
      idle.clear();
      if (reaper != null) {
        reaper.shutdownNow();
      }
    }
    stop.forEach(OperatorJvm::stop);
  }

  private ProcessResult.Ending await(
      OperatorJvm jvm,
      OperatorJvm.Try t,
      Heartbeat heartbeat,
      Clock clock,
      Duration timeout,
      CompletableFuture<Cancellation> cancel,
      Set<ProcessHandle> seen) {
    long start = System.nanoTime();
    long interval = heartbeatInterval.toNanos();
    long nextBeat = start + interval;
    Long deadline = timeout == null ? null : start + timeout.toNanos();
    CompletableFuture<Object> done = CompletableFuture.anyOf(t.result, jvm.gone());
    while (true) {
      long now = System.nanoTime();
      if (deadline != null && now - deadline >= 0) {
        return ProcessResult.Ending.TIMED_OUT;
      }
      long wait = nextBeat - now;
      if (deadline != null) {
        wait = Math.min(wait, deadline - now);
      }
      try {
        CompletableFuture.anyOf(done, cancel).get(Math.max(wait, 0), TimeUnit.NANOSECONDS);
      } catch (TimeoutException | ExecutionException e) {
        // time for a heartbeat or the deadline: checked below
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return ProcessResult.Ending.CANCELLED;
      }
      if (done.isDone()) {
        return ProcessResult.Ending.EXITED;
      }
      if (cancel.isDone()) {
        return ProcessResult.Ending.CANCELLED;
      }
      if (System.nanoTime() - nextBeat >= 0) {
        heartbeat.beat(clock.instant());
        // Remember the tree now, so children that are re-parented later can still be killed.
        seen.addAll(ProcessTree.snapshot(jvm.handle()));
        nextBeat += interval;
      }
    }
  }

  private Duration graceOf(CompletableFuture<Cancellation> cancel, ProcessResult.Ending ending) {
    Cancellation c = ending == ProcessResult.Ending.CANCELLED ? cancel.getNow(null) : null;
    return c == null || c.killGrace() == null ? killGrace : c.killGrace();
  }

  /** A JVM for one try; {@code kept}: it goes back to the pool after the try. */
  private record Lease(OperatorJvm jvm, boolean started, boolean kept) {}

  private Lease acquire(String hash, Path jar, Path dagFile, Map<String, String> env, Path tempRoot)
      throws IOException {
    List<OperatorJvm> stop = new ArrayList<>();
    boolean kept;
    try {
      synchronized (this) {
        retireFormerBundle(hash, dagFile, stop);
        Deque<OperatorJvm> free = idle.get(hash);
        while (free != null && !free.isEmpty()) {
          OperatorJvm jvm = free.pollFirst();
          if (jvm.isAlive()) {
            return new Lease(jvm, false, true);
          }
          forget(jvm);
        }
        int count = counts.getOrDefault(hash, 0);
        kept = !closed && count < settings.perBundle();
        if (kept) {
          counts.put(hash, count + 1); // counted now, so concurrent tries do not overshoot
        }
        startReaper();
      }
    } finally {
      stop.forEach(OperatorJvm::stop);
    }
    try {
      Files.createDirectories(tempRoot);
      Path cwd = Files.createTempDirectory(tempRoot, "updraft-operator-jvm-");
      return new Lease(OperatorJvm.start(hash, jar, settings.loaderPerTry(), cwd, env), true, kept);
    } catch (IOException | RuntimeException e) {
      if (kept) {
        synchronized (this) {
          counts.merge(hash, -1, Integer::sum);
        }
      }
      throw e;
    }
  }

  /** After a try: a kept, healthy JVM goes back to the pool; any other is stopped. */
  private void release(Lease lease, boolean healthy) {
    OperatorJvm jvm = lease.jvm;
    if (lease.kept) {
      synchronized (this) {
        if (healthy && !closed && jvm.isAlive()) {
          jvm.idleSince = System.nanoTime();
          idle.computeIfAbsent(jvm.bundleHash, h -> new ArrayDeque<>()).addFirst(jvm);
          return;
        }
        forget(jvm);
      }
    }
    jvm.stop();
  }

  /** A kept JVM that will not come back to the pool frees its place. */
  private void forget(OperatorJvm jvm) {
    counts.computeIfPresent(jvm.bundleHash, (h, n) -> n <= 1 ? null : n - 1);
  }

  /**
   * A bundle seen for the first time that came from a file with another bundle before: that file's
   * code changed, so the idle JVMs of the former bundle go now (runs that still pin it start new
   * ones).
   */
  private void retireFormerBundle(String hash, Path dagFile, List<OperatorJvm> stop) {
    if (dagFile == null || !seenBundles.add(hash)) {
      return;
    }
    String former = latestBundleOfFile.put(dagFile, hash);
    if (former == null || former.equals(hash)) {
      return;
    }
    Deque<OperatorJvm> free = idle.remove(former);
    if (free != null) {
      free.forEach(this::forget);
      stop.addAll(free);
    }
  }

  private void startReaper() {
    if (reaper != null || closed) {
      return;
    }
    ScheduledThreadPoolExecutor r =
        new ScheduledThreadPoolExecutor(
            1,
            task ->
                Thread.ofPlatform().daemon().name("updraft-operator-jvm-reaper").unstarted(task));
    long every = Math.max(50, Math.min(settings.idleTimeout().toMillis() / 4, 10_000));
    r.scheduleWithFixedDelay(this::stopIdle, every, every, TimeUnit.MILLISECONDS);
    reaper = r;
  }

  /** Stops the JVMs idle for longer than the idle timeout. */
  void stopIdle() {
    long now = System.nanoTime();
    long limit = settings.idleTimeout().toNanos();
    List<OperatorJvm> stop = new ArrayList<>();
    synchronized (this) {
      for (Deque<OperatorJvm> free : idle.values()) {
        free.removeIf(
            jvm -> {
              if (now - jvm.idleSince >= limit || !jvm.isAlive()) {
                forget(jvm);
                stop.add(jvm);
                return true;
              }
              return false;
            });
      }
      idle.values().removeIf(Deque::isEmpty);
    }
    stop.forEach(OperatorJvm::stop);
  }

  /** The process ids of the idle JVMs, for tests and the bench. */
  synchronized List<Long> idlePids() {
    List<Long> pids = new ArrayList<>();
    idle.values().forEach(d -> d.forEach(j -> pids.add(j.pid())));
    return pids;
  }
}
