package io.updraft.callbacks;

import io.updraft.dag.Notifier;
import io.updraft.util.ProcessTree;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code {shell: COMMAND}}: {@code bash -c COMMAND} as a real process, its output appended to the
 * callback's log; exit 0 is delivered. One that outlives the timeout is ended with its process
 * tree, as a task's is.
 */
final class ShellNotifier {
  private final Duration timeout;

  ShellNotifier(Duration timeout) {
    this.timeout = timeout;
  }

  void run(Notifier.Shell shell, Path logFile, PrintWriter log) throws InterruptedException {
    log.println("$ " + shell.command());
    log.flush();
    Process p;
    try {
      p =
          new ProcessBuilder("bash", "-c", shell.command())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
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
}
