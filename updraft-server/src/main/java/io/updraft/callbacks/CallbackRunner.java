package io.updraft.callbacks;

import io.updraft.connections.Lookups;
import io.updraft.connections.SecretMasker;
import io.updraft.dag.Notifier;
import io.updraft.store.CallbackRequestRepository;
import io.updraft.store.CallbackRequestRepository.CallbackRow;
import io.updraft.store.DagRunRepository;
import io.updraft.store.Database;
import io.updraft.worker.SafePaths;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs callbacks off the scheduler loop, in a thread of its own: each pass fires due deadlines
 * ({@link DeadlineAlerts}), claims due {@code callback_request} rows with a lease ({@code FOR
 * UPDATE SKIP LOCKED}: several runners share the table), sends each on a virtual thread and records
 * the outcome. A failed attempt is retried after a backoff, up to the row's attempts, then recorded
 * failed with its error; every attempt appends to the callback's log file ({@code
 * <logs>/dag_id=…/run_id=…/callbacks/<id>-<event>.log}). A runner killed mid-callback leaves its
 * rows leased: another runner (or this one restarted) takes them over when the lease ends, so
 * delivery is at least once. Nothing here writes a task's or a run's state.
 */
public final class CallbackRunner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CallbackRunner.class);

  /**
   * @param pollEvery how often it looks for due callbacks when idle
   * @param lease how long a claimed callback is this runner's (longer than a notifier's timeout)
   * @param backoff the wait before the second attempt; doubled for each later one
   * @param batch how many callbacks one pass claims
   */
  public record Settings(Duration pollEvery, Duration lease, Duration backoff, int batch) {
    public static Settings defaults() {
      return forTimeout(Notifiers.DEFAULT_TIMEOUT);
    }

    /** The defaults, with a lease long enough for a notifier that takes {@code timeout}. */
    public static Settings forTimeout(Duration timeout) {
      return new Settings(
          Duration.ofSeconds(1), timeout.multipliedBy(6).dividedBy(5), Duration.ofSeconds(10), 16);
    }
  }

  /** What one pass did. */
  public record Pass(int deadlinesFired, int delivered, int failedAttempts) {
    public int callbacks() {
      return delivered + failedAttempts;
    }
  }

  private final CallbackRequestRepository requests;
  private final DeadlineAlerts deadlines;
  private final CallbackContexts contexts;
  private final Notifiers notifiers;
  private final Lookups lookups;
  private final Path logsRoot;
  private final Clock clock;
  private final Settings settings;
  private final String name;
  private final ExecutorService sends = Executors.newVirtualThreadPerTaskExecutor();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wake = lock.newCondition();
  private volatile boolean stopping;
  private boolean signalled;
  private Thread thread;

  /** A runner whose notifiers see no connections or variables in their templates (tests). */
  public CallbackRunner(
      Database db,
      CallbackContexts.DagLookup versions,
      Notifiers notifiers,
      Path logsRoot,
      Clock clock,
      Settings settings,
      String name) {
    this(db, versions, notifiers, Lookups.none(), logsRoot, clock, settings, name);
  }

  /**
   * @param lookups where a notifier's {@code conn.*} and {@code var.*} read, as a task's do; what
   *     they reveal is masked in the callback's log
   */
  public CallbackRunner(
      Database db,
      CallbackContexts.DagLookup versions,
      Notifiers notifiers,
      Lookups lookups,
      Path logsRoot,
      Clock clock,
      Settings settings,
      String name) {
    this.lookups = lookups;
    this.requests = new CallbackRequestRepository(db);
    this.deadlines = new DeadlineAlerts(db, requests);
    this.contexts = new CallbackContexts(new DagRunRepository(db), versions);
    this.notifiers = notifiers;
    this.logsRoot = logsRoot;
    this.clock = clock;
    this.settings = settings;
    this.name = name;
  }

  /** Starts the runner's thread. */
  public CallbackRunner start() {
    thread = Thread.ofPlatform().daemon().name("callbacks").start(this::loop);
    return this;
  }

  /** Asks for a pass now (after a state change wrote callbacks). */
  public void signal() {
    lock.lock();
    try {
      signalled = true;
      wake.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void loop() {
    while (!stopping) {
      try {
        Pass p = runOnce();
        if (p.callbacks() > 0 || p.deadlinesFired() > 0) {
          continue; // more may be due
        }
      } catch (RuntimeException e) {
        if (stopping) {
          return; // what it claimed is sent again by the next runner, after the lease
        }
        log.error("a pass of the callback runner failed; trying again", e);
      }
      awaitSignal(settings.pollEvery());
    }
  }

  private void awaitSignal(Duration max) {
    lock.lock();
    try {
      long nanos = max.toNanos();
      while (!signalled && !stopping && nanos > 0) {
        nanos = wake.awaitNanos(nanos);
      }
      signalled = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopping = true;
    } finally {
      lock.unlock();
    }
  }

  /** One pass: fire due deadlines, then claim and send due callbacks, waiting for them. */
  public Pass runOnce() {
    int fired = deadlines.fireDue(clock.instant());
    List<CallbackRow> claimed =
        requests.claim(name, settings.batch(), settings.lease(), clock.instant());
    List<Future<Boolean>> outcomes = new ArrayList<>();
    for (CallbackRow row : claimed) {
      outcomes.add(sends.submit(() -> deliver(row)));
    }
    int delivered = 0;
    int failed = 0;
    for (Future<Boolean> f : outcomes) {
      try {
        if (f.get()) {
          delivered++;
        } else {
          failed++;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Pass(fired, delivered, failed);
      } catch (java.util.concurrent.ExecutionException e) {
        failed++;
        log.error("sending a callback failed unexpectedly", e.getCause());
      }
    }
    return new Pass(fired, delivered, failed);
  }

  /**
   * Runs passes until no callback is open (each failing one retried to its last attempt, waiting
   * out the backoff) or {@code max} has passed; what {@code dags test} does after its run.
   */
  public List<CallbackRow> drain(String dagId, String runId, Duration max) {
    Instant end = Instant.now().plus(max);
    while (Instant.now().isBefore(end)) {
      Pass p = runOnce();
      boolean open =
          requests.forRun(dagId, runId).stream()
              .anyMatch(r -> r.state().equals("pending") || r.state().equals("running"));
      if (!open) {
        break;
      }
      if (p.callbacks() == 0) {
        awaitSignal(Duration.ofMillis(200));
      }
    }
    return requests.forRun(dagId, runId);
  }

  /** Sends one claimed callback and records its outcome; true when delivered. */
  private boolean deliver(CallbackRow row) {
    Path logFile = logFile(row);
    StringWriter text = new StringWriter();
    SecretMasker masker = new SecretMasker();
    String error = null;
    try (PrintWriter out = new PrintWriter(text)) {
      out.println(
          "--- "
              + clock.instant()
              + " attempt "
              + row.attempts()
              + " of "
              + row.maxAttempts()
              + ": "
              + row.event()
              + (row.taskId() == null ? "" : " of task " + row.taskId()));
      flush(logFile, text, masker);
      try {
        Notifier notifier =
            contexts.render(row, lookups.connections(masker), lookups.variables(masker));
        notifiers.send(notifier, logFile, out);
        out.println("delivered");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        error = "interrupted: the runner is stopping";
      } catch (RuntimeException e) { // NotifierFailure, TemplateRenderException...
        error = e.getMessage() == null ? e.toString() : e.getMessage();
        out.println("FAILED: " + error);
      }
    }
    flush(logFile, text, masker);
    Instant now = clock.instant();
    if (error == null) {
      requests.succeeded(row, now);
      return true;
    }
    Duration wait = settings.backoff().multipliedBy(1L << Math.min(20, row.attempts() - 1));
    requests.attemptFailed(row, error, now.plus(wait), now);
    boolean last = row.attempts() >= row.maxAttempts();
    log.warn(
        "callback {} ({} of {} {}{}) failed{}: {} — log: {}",
        row.id(),
        row.event(),
        row.dagId(),
        row.runId(),
        row.taskId() == null ? "" : " " + row.taskId(),
        last ? " for good" : ", attempt " + row.attempts() + " of " + row.maxAttempts(),
        error,
        logFile);
    return false;
  }

  /** The callback's log file; built from ids, so checked to stay under the logs folder. */
  public static Path logPath(Path logsRoot, CallbackRow row) {
    return SafePaths.under(
        logsRoot,
        "dag_id=" + row.dagId(),
        "run_id=" + row.runId(),
        "callbacks",
        row.id() + "-" + row.event() + ".log");
  }

  private Path logFile(CallbackRow row) {
    Path p = logPath(logsRoot, row);
    try {
      Files.createDirectories(p.getParent());
    } catch (IOException e) {
      log.warn("cannot create the folder of callback log {}: {}", p, e.getMessage());
    }
    return p;
  }

  /** Appends what was written so far, with the secrets the notifier's templates read masked. */
  private static void flush(Path file, StringWriter text, SecretMasker masker) {
    String s = masker.mask(text.toString());
    text.getBuffer().setLength(0);
    if (s.isEmpty()) {
      return;
    }
    try {
      Files.writeString(
          file, s, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      log.warn("cannot write callback log {}: {}", file, e.getMessage());
    }
  }

  /**
   * Stops the runner: callbacks being sent are interrupted (a shell notifier's process tree is
   * ended) and left to the next runner, which sends them again — at least once.
   */
  @Override
  public void close() {
    stopping = true;
    signal();
    sends.shutdownNow();
    if (thread != null) {
      try {
        thread.join(TimeUnit.SECONDS.toMillis(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
