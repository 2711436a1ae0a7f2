package io.updraft.callbacks;

import io.updraft.dag.Notifier;
import io.updraft.util.Folders;
import io.updraft.util.ProcessTree;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code {shell: COMMAND}}: {@code bash -c COMMAND} as a real process, its output copied into the
 * callback's log (through the runner's writer, which masks secrets); exit 0 is delivered. One that
 * outlives the timeout is ended with its process tree, as a task's is.
 */
final class ShellNotifier {
  private final Duration timeout;

  ShellNotifier(Duration timeout) {
    this.timeout = timeout;
  }

  void run(Notifier.Shell shell, Path logFile, PrintWriter log) throws InterruptedException {
    log.println("$ " + shell.command());
    log.flush();
    Path output;
    try {
      output = Files.createTempFile(logFile.getParent(), "shell-", ".out");
    } catch (IOException e) {
      throw new NotifierFailure("could not create the command's output file: " + e.getMessage(), e);
    }
    try {
      runTo(shell, output);
    } finally {
      copy(output, log);
    }
  }

  private void runTo(Notifier.Shell shell, Path output) throws InterruptedException {
    Process p;
    try {
      p =
          new ProcessBuilder("bash", "-c", shell.command())
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
    } catch (IOException e) {
      throw new NotifierFailure("could not start bash: " + e.getMessage(), e);
    }
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        ProcessTree.kill(p.toHandle(), Set.of(), Duration.ofSeconds(5));
        throw new NotifierFailure("the command ran longer than " + timeout + " and was stopped");
      }
    } catch (InterruptedException e) {
      ProcessTree.kill(p.toHandle(), Set.of(), Duration.ofSeconds(5));
      throw e;
    }
    if (p.exitValue() != 0) {
      throw new NotifierFailure("the command exited with code " + p.exitValue());
    }
  }

  /** The command's output into the log (a callback's output is short), then its file removed. */
  private static void copy(Path output, PrintWriter log) {
    try (java.io.BufferedReader in = Files.newBufferedReader(output, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        log.println(line);
      }
    } catch (IOException e) {
      log.println("(could not read the command's output: " + e.getMessage() + ")");
    } finally {
      Folders.deleteQuietly(output);
    }
  }
}
