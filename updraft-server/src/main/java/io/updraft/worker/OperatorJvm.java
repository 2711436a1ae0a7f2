package io.updraft.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.bundle.JavaCommand;
import io.updraft.bundle.OperatorRequest;
import io.updraft.bundle.OperatorResult;
import io.updraft.util.Folders;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One warm child JVM running {@code io.updraft.bundle.OperatorServer} for one code bundle: it takes
 * a try's request on its stdin and sends back the try's output and result as frames on its stdout
 * (decisions/0140). A reader thread routes the frames to the try that runs now: its output into
 * that try's log, its result into {@link Try#result}. A second thread does the same with what the
 * JVM itself writes on stderr. Both end with the child; nothing here outlives it.
 */
final class OperatorJvm {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorJvm.class);

  /** Named, not referenced: the worker never loads the class that loads user code. */
  static final String MAIN = "io.updraft.bundle.OperatorServer";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte OUT = 'O';
  private static final byte ERR = 'E';
  private static final byte RESULT = 'R';

  final String bundleHash;
  private final Process process;
  private final OutputStream stdin;
  private final Path cwd;
  private final CompletableFuture<Void> stdoutDone = new CompletableFuture<>();
  private final CompletableFuture<Void> stderrDone = new CompletableFuture<>();
  private volatile Try current;

  /** When it last finished a try, by {@link System#nanoTime}: for the idle timeout. */
  volatile long idleSince = System.nanoTime();

  /** The try a child runs now: where its output and result go. */
  static final class Try {
    private final TryLog log;
    private OutputPump out;
    private OutputPump err;
    private OutputPump jvm;
    final CompletableFuture<OperatorResult> result = new CompletableFuture<>();

    Try(TryLog log) {
      this.log = log;
    }

    synchronized void output(byte type, byte[] b, int n) {
      OutputPump pump;
      if (type == OUT) {
        pump = out == null ? (out = new OutputPump(log)) : out;
      } else if (type == ERR) {
        pump = err == null ? (err = new OutputPump(log)) : err;
      } else {
        pump = jvm == null ? (jvm = new OutputPump(log)) : jvm;
      }
      pump.accept(b, n);
    }

    synchronized void end() {
      for (OutputPump p : new OutputPump[] {out, err, jvm}) {
        if (p != null) {
          p.end();
        }
      }
    }
  }

  private OperatorJvm(String bundleHash, Process process, Path cwd) {
    this.bundleHash = bundleHash;
    this.process = process;
    this.stdin = process.getOutputStream();
    this.cwd = cwd;
  }

  /**
   * Starts a child for the bundle's jar, in {@code cwd} (its own, removed when it ends) with {@code
   * env}.
   */
  static OperatorJvm start(
      String bundleHash, Path jar, boolean loaderPerTry, Path cwd, Map<String, String> env)
      throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(
                JavaCommand.longLived(
                    MAIN, List.of(jar.toString(), loaderPerTry ? "per_try" : "per_bundle")))
            .directory(cwd.toFile());
    builder.environment().clear();
    builder.environment().putAll(env);
    OperatorJvm jvm = new OperatorJvm(bundleHash, builder.start(), cwd);
    jvm.thread("frames", jvm::readFrames, jvm.stdoutDone);
    jvm.thread("stderr", jvm::readStderr, jvm.stderrDone);
    jvm.process.onExit().thenRun(() -> Folders.deleteQuietly(cwd));
    return jvm;
  }

  long pid() {
    return process.pid();
  }

  ProcessHandle handle() {
    return process.toHandle();
  }

  boolean isAlive() {
    return process.isAlive() && !stdoutDone.isDone();
  }

  /** Completes when the child's stdout has ended: it exited, or is about to. */
  CompletableFuture<Void> gone() {
    return stdoutDone;
  }

  /** Hands the child a try; its output goes to {@code t}'s log until {@link #finish}. */
  void send(OperatorRequest request, Try t) throws IOException {
    current = t;
    byte[] line = (JSON.writeValueAsString(request) + "\n").getBytes(StandardCharsets.UTF_8);
    stdin.write(line);
    stdin.flush();
  }

  /** The try is over (its result read, or the child dead): later output is not its own. */
  void finish(Try t) {
    current = null;
    t.end();
  }

  /**
   * The exit code after the child has ended, waiting at most {@code millis} for it and for its
   * stderr (a crash report) to reach the log; null when it is still running.
   */
  Integer exitCode(long millis) {
    try {
      process.onExit().get(millis, TimeUnit.MILLISECONDS);
      stderrDone.get(Math.min(millis, 1000), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // still running, or its stderr still open: answer with what is known
    }
    return process.isAlive() ? null : process.exitValue();
  }

  /** Asks the child to end (the end of its stdin); forcibly when it is still alive after 5 s. */
  void stop() {
    try {
      stdin.close();
    } catch (IOException e) {
      // already gone
    }
    process
        .onExit()
        .orTimeout(5, TimeUnit.SECONDS)
        .exceptionally(
            e -> {
              process.destroyForcibly();
              return null;
            });
  }

  private void thread(String name, ThrowingRunnable body, CompletableFuture<Void> done) {
    Thread.ofPlatform()
        .daemon()
        .name("updraft-operator-jvm-" + name + "-" + process.pid())
        .start(
            () -> {
              try {
                body.run();
              } catch (IOException e) {
                // the pipe ended with the child
              } catch (RuntimeException e) {
                LOG.warn("operator JVM {}: reading its {} failed", process.pid(), name, e);
              } finally {
                done.complete(null);
                Try t = current;
                if (t != null && name.equals("frames")) {
                  t.result.complete(null); // the child ended before the try's result: none
                }
              }
            });
  }

  private interface ThrowingRunnable {
    void run() throws IOException;
  }

  private void readFrames() throws IOException {
    DataInputStream in = new DataInputStream(process.getInputStream());
    byte[] buf = new byte[OutputPump.MAX_LINE];
    while (true) {
      byte type;
      int n;
      try {
        type = in.readByte();
        n = in.readInt();
      } catch (EOFException e) {
        return;
      }
      if (n < 0
          || (type != RESULT && n > buf.length)
          || (type != OUT && type != ERR && type != RESULT)) {
        LOG.warn("operator JVM {} wrote a broken frame: stopping it", process.pid());
        process.destroyForcibly();
        return;
      }
      byte[] into = type == RESULT ? new byte[n] : buf;
      in.readFully(into, 0, n);
      Try t = current;
      if (type == RESULT) {
        if (t != null) {
          t.result.complete(JSON.readValue(into, OperatorResult.class));
        }
      } else if (t != null) {
        t.output(type, into, n);
      } else {
        // a thread an earlier try left behind: no try to give it to
        LOG.info(
            "operator JVM {} (no try running): {}",
            process.pid(),
            new String(into, 0, n, StandardCharsets.UTF_8).strip());
      }
    }
  }

  private void readStderr() throws IOException {
    InputStream in = process.getErrorStream();
    byte[] buf = new byte[OutputPump.MAX_LINE];
    int n;
    while ((n = in.read(buf)) > 0) {
      Try t = current;
      if (t != null) {
        t.output((byte) 'J', buf, n);
      } else {
        LOG.info(
            "operator JVM {}: {}",
            process.pid(),
            new String(buf, 0, n, StandardCharsets.UTF_8).strip());
      }
    }
  }
}
