package io.updraft.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An {@code updraft} command in a JVM of its own (the test's classpath, {@link
 * io.updraft.cli.Main}), its output in a file. {@link #kill9()} ends it as a crash would: SIGKILL,
 * no shutdown hooks; the task processes it started are left running, as they would be, until {@link
 * #close} reaps them. {@link #terminate} is the clean stop: SIGTERM.
 */
final class UpdraftProcess implements AutoCloseable {
  private final Process process;
  private final Path output;
  private final List<ProcessHandle> descendantsAtKill = new ArrayList<>();

  private UpdraftProcess(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  static UpdraftProcess start(Path output, Map<String, String> env, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.updraft.cli.Main");
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.redirectOutput(output.toFile());
    pb.environment().putAll(env);
    return new UpdraftProcess(pb.start(), output);
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String output() throws IOException {
    return Files.exists(output) ? Files.readString(output) : "";
  }

  /** The processes it started that are alive now (task processes, child JVMs). */
  List<ProcessHandle> descendants() {
    return process.descendants().filter(ProcessHandle::isAlive).toList();
  }

  /** Waits for the process to end by itself; returns its exit code. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the JVM did not exit within " + timeout);
    }
    return process.exitValue();
  }

  /** SIGTERM, as a service manager or {@code kill PID} stops it; returns its exit code. */
  int terminate(Duration timeout) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the JVM did not stop within " + timeout + " of SIGTERM");
    }
    return process.exitValue();
  }

  /** SIGKILL: the JVM dies on the spot, with whatever it had running and queued. */
  void kill9() throws InterruptedException {
    descendantsAtKill.addAll(process.descendants().toList());
    process.destroyForcibly();
    if (!process.waitFor(
        Duration.ofSeconds(30).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the killed JVM did not die");
    }
  }

  /** Stops the JVM if still running and reaps every process it had started. */
  @Override
  public void close() throws InterruptedException {
    descendantsAtKill.addAll(process.descendants().toList());
    process.destroyForcibly();
    process.waitFor();
    for (ProcessHandle p : descendantsAtKill) {
      p.destroyForcibly();
    }
  }
}
