package io.updraft.executor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.UpdraftException;
import io.updraft.dag.Task;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.TaskInstanceRow;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs {@code shell} tries (SPEC §1.3): {@code bash -c command} in {@code cwd} (default: a fresh
 * temporary folder, removed afterwards) with the task's {@code env} on top of this process's
 * environment. stdout and stderr go, line by line, to the try's log file {@code
 * <logs>/dag_id=<dag>/run_id=<run>/task_id=<task>/attempt=<n>.log}. Exit 0 is success, {@code
 * skip_on_exit_code} (99) is skipped, anything else failed; the last non-empty stdout line is the
 * return value. {@code execution_timeout} kills the whole process tree.
 */
public final class ShellTryRunner implements TryRunner {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int DEFAULT_SKIP_CODE = 99;

  private final Path logsRoot;

  public ShellTryRunner(Path logsRoot) {
    this.logsRoot = logsRoot;
  }

  /** Where a try's log is. */
  public static Path logFile(Path logsRoot, TaskInstanceRow ti) {
    return logFile(logsRoot, ti.dagId(), ti.runId(), ti.taskId(), ti.tryNumber());
  }

  /** Where the log of one try is: {@code dag_id=…/run_id=…/task_id=…/attempt=<n>.log}. */
  public static Path logFile(
      Path logsRoot, String dagId, String runId, String taskId, int tryNumber) {
    return logsRoot
        .resolve("dag_id=" + dagId)
        .resolve("run_id=" + runId)
        .resolve("task_id=" + taskId)
        .resolve("attempt=" + tryNumber + ".log");
  }

  @Override
  public Result run(Request r) throws IOException, InterruptedException {
    Task task = r.task();
    if (!task.operator().equals("shell")) {
      return Result.failed(
          "operator '" + task.operator() + "' is not supported yet by the local executor");
    }
    Path log = logFile(logsRoot, r.ti());
    Files.createDirectories(log.getParent());
    try (PrintWriter out =
        new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
      String command;
      try {
        command = ContextValues.of(r.dag(), r.run(), r.ti()).render((String) task.arg("command"));
      } catch (UpdraftException e) {
        out.println("[updraft] cannot render the command: " + e.getMessage());
        return Result.failed(e.getMessage());
      }
      Instant start = Instant.now();
      out.println("[updraft] " + start + " try " + r.ti().tryNumber() + ": bash -c " + command);
      Path tmp = null;
      Path cwd;
      if (task.arg("cwd") != null) {
        cwd = Path.of(task.arg("cwd").toString());
      } else {
        tmp = Files.createTempDirectory("updraft-try-");
        cwd = tmp;
      }
      try {
        Outcome o = execute(command, cwd, env(task), task.executionTimeout(), out);
        out.println(
            "[updraft] exit code "
                + o.exitCode
                + " after "
                + Duration.between(start, Instant.now()).toMillis()
                + " ms"
                + (o.timedOut
                    ? " (killed: execution_timeout " + task.executionTimeout() + ")"
                    : ""));
        if (o.timedOut) {
          return Result.failed("timed out after " + task.executionTimeout());
        }
        int skipCode =
            task.arg("skip_on_exit_code") instanceof Number n ? n.intValue() : DEFAULT_SKIP_CODE;
        if (o.exitCode == 0) {
          return Result.success(o.lastLine == null ? null : json(o.lastLine));
        }
        if (o.exitCode == skipCode) {
          return new Result(TaskInstanceState.SKIPPED, null, null);
        }
        return Result.failed("bash exited with code " + o.exitCode);
      } finally {
        if (tmp != null) {
          deleteTree(tmp);
        }
      }
    }
  }

  private record Outcome(int exitCode, boolean timedOut, String lastLine) {}

  private static Outcome execute(
      String command, Path cwd, Map<String, String> env, Duration timeout, PrintWriter log)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", command).directory(cwd.toFile());
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    Process p = pb.start();
    p.getOutputStream().close();
    AtomicReference<String> last = new AtomicReference<>();
    Thread reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  try (BufferedReader in =
                      new BufferedReader(
                          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                      log.println(line);
                      if (!line.isBlank()) {
                        last.set(line);
                      }
                    }
                  } catch (IOException e) {
                    log.println("[updraft] reading the output failed: " + e);
                  }
                });
    boolean finished =
        timeout == null ? waitFor(p) : p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (!finished) {
      killTree(p);
    }
    reader.join();
    return new Outcome(finished ? p.exitValue() : -1, !finished, last.get());
  }

  private static boolean waitFor(Process p) throws InterruptedException {
    p.waitFor();
    return true;
  }

  /**
   * Kills bash and everything it started. Descendants are collected before bash dies: once it is
   * gone, its children are re-parented and no longer found through it.
   */
  static void killTree(Process p) throws InterruptedException {
    List<ProcessHandle> tree = p.descendants().toList();
    tree.forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    p.waitFor();
  }

  private static Map<String, String> env(Task task) {
    Map<String, String> env = new java.util.LinkedHashMap<>(task.env());
    if (task.arg("env") instanceof Map<?, ?> m) {
      m.forEach((k, v) -> env.put(k.toString(), v == null ? "" : v.toString()));
    }
    return env;
  }

  private static String json(String text) {
    try {
      return JSON.writeValueAsString(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(ShellTryRunner::deleteQuietly);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // A file a killed process still held: the OS's temp cleaner takes it.
    }
  }
}
