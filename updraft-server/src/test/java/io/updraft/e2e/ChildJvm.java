package io.updraft.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JVM of its own on this test's class path — the {@code updraft} CLI ({@link #updraft}) or any
 * main class — with an environment of its own (no {@code UPDRAFT_*} variable of the test's leaks
 * in) and its output in a file. {@link #kill()} is a real {@code kill -9}, {@link #terminate} a
 * clean stop's SIGTERM; {@link #close()} also kills what the process left behind — a killed JVM's
 * task processes are re-parented, and ended by its reaper (decisions/0165), exactly as on a real
 * machine. The one launcher of the tests that start processes of Updraft.
 */
public final class ChildJvm implements AutoCloseable {
  private static final Pattern JOB_ID = Pattern.compile("scheduler job (\\d+)");

  private final String name;
  private final Process process;
  private final Path output;
  private final Set<ProcessHandle> leftBehind = new LinkedHashSet<>();

  private ChildJvm(String name, Process process, Path output) {
    this.name = name;
    this.process = process;
    this.output = output;
  }

  /**
   * Starts {@code updraft <args...>}.
   *
   * @param outputDir where {@code <name>.out} gets stdout and stderr
   * @param env {@code UPDRAFT_*} settings for this process only
   */
  public static ChildJvm updraft(
      String name, Path outputDir, Map<String, String> env, List<String> args) {
    return start(name, outputDir, env, "io.updraft.cli.Main", args);
  }

  /** Starts {@code java <mainClass> <args...>}; see {@link #updraft}. */
  public static ChildJvm start(
      String name, Path outputDir, Map<String, String> env, String mainClass, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // A small, quickly started JVM: these runs last seconds, and the machine has two cores.
    command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m"));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
    command.addAll(args);
    Path output = outputDir.resolve(name + ".out");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectOutput(output.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("UPDRAFT_"));
    builder.environment().putAll(env);
    try {
      return new ChildJvm(name, builder.start(), output);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  public long pid() {
    return process.pid();
  }

  /** Everything the process printed so far. */
  public String output() {
    try {
      return Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(cannot read " + output + ": " + e + ")";
    }
  }

  /** Waits until the process printed {@code text}; fails early if it exits first. */
  public void awaitOutput(String text, Duration timeout) {
    Await.until(
        name + " to print '" + text + "'",
        timeout,
        () -> {
          if (output().contains(text)) {
            return true;
          }
          if (!process.isAlive()) {
            throw new AssertionError(
                name + " exited (" + process.exitValue() + ") before printing '" + text + "'");
          }
          return false;
        },
        this::describe);
  }

  /** The job id an {@code updraft scheduler} printed in its banner. */
  public long schedulerJobId() {
    awaitOutput("is running (scheduler job", Duration.ofSeconds(60));
    Matcher m = JOB_ID.matcher(output());
    if (!m.find()) {
      throw new AssertionError("no job id in the banner of " + describe());
    }
    return Long.parseLong(m.group(1));
  }

  /** Waits for the process to exit by itself and returns its exit code; fails after timeout. */
  public int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new AssertionError(name + " still running after " + timeout + ": " + describe());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + name, e);
    }
    return process.exitValue();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The processes it started that are alive now (task processes, child JVMs). */
  public List<ProcessHandle> descendants() {
    return process.descendants().filter(ProcessHandle::isAlive).toList();
  }

  /** SIGTERM, as a service manager or {@code kill PID} stops it; returns its exit code. */
  public int terminate(Duration timeout) {
    process.destroy();
    return awaitExit(timeout);
  }

  /**
   * {@code kill -9} of the JVM, and nothing else: it dies on the spot with whatever it had running
   * and queued; its task processes are left to its reaper (what is left is killed at {@link
   * #close()}).
   */
  public void kill() {
    leftBehind.addAll(process.descendants().toList());
    process.destroyForcibly();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new AssertionError(name + " did not exit after SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for " + name, e);
    }
  }

  private void killLeftBehind() {
    leftBehind.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle p : leftBehind) {
      try {
        p.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        // Best effort: a process that cannot be reaped here is reported by nothing else.
      }
    }
  }

  /** Name, pid, state and the output so far: for failure messages. */
  public String describe() {
    return name
        + " (pid "
        + process.pid()
        + (process.isAlive() ? ", running" : ", exited " + process.exitValue())
        + ") printed:\n"
        + output();
  }

  /** Kills the JVM if still running, and every process it had started. */
  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
    killLeftBehind();
  }
}
