package io.updraft.worker;

import io.updraft.worker.template.PyDates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Prepares and runs the {@code bash -c command} of a {@code shell}, {@code branch} or {@code
 * short_circuit} try.
 *
 * <p>Working directory: the task's {@code cwd} (which must be an existing absolute directory); else
 * the folder of the DAG's file (SPEC §1.3), so {@code command: ./extract.sh} runs the script next
 * to the DAG; else — a worker without the DAG's folder — a fresh temporary directory made for this
 * try and deleted afterwards, as Airflow's BashOperator does.
 *
 * <p>Environment: Updraft's own, then the task's {@code env}, then the {@code UPDRAFT_CTX_*}
 * variables (Airflow's {@code AIRFLOW_CTX_*}), which therefore cannot be overridden by {@code env}.
 * Unlike Airflow's BashOperator, a task's {@code env} adds to the inherited environment instead of
 * replacing it.
 */
final class ShellCommand {

  /** Thrown when the try cannot start; the message is the one-line error of the try. */
  static final class SetupException extends Exception {
    SetupException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private ShellCommand() {}

  static Map<String, String> environment(
      Map<String, String> base, Map<String, String> taskEnv, TryRequest r) {
    Map<String, String> env = new HashMap<>(base);
    taskEnv.forEach(
        (k, v) -> {
          if (v == null) {
            env.remove(k);
          } else {
            env.put(k, v);
          }
        });
    env.put("UPDRAFT_CTX_DAG_ID", r.dag().dagId());
    env.put("UPDRAFT_CTX_TASK_ID", r.task().taskId());
    env.put("UPDRAFT_CTX_RUN_ID", r.runId());
    env.put("UPDRAFT_CTX_TRY_NUMBER", Integer.toString(r.tryNumber()));
    env.put("UPDRAFT_CTX_LOGICAL_DATE", PyDates.ts(r.logicalDate()));
    env.put("UPDRAFT_CTX_DAG_OWNER", r.task().owner());
    return env;
  }

  /** Checks a configured {@code cwd}. */
  static Path configuredCwd(String cwd) throws SetupException {
    Path dir = Path.of(cwd);
    if (!dir.isAbsolute()) {
      throw new SetupException(
          "cwd '" + cwd + "' is not an absolute path — write the full path of the folder", null);
    }
    if (!Files.isDirectory(dir)) {
      throw new SetupException(
          "cwd '" + cwd + "' is not an existing folder — create it or fix the task's cwd", null);
    }
    return dir;
  }

  /** The folder of the DAG's file when it is there on this machine; null otherwise. */
  static Path dagFolder(Path dagFile) {
    Path folder = dagFile == null ? null : dagFile.toAbsolutePath().getParent();
    return folder != null && Files.isDirectory(folder) ? folder : null;
  }

  static Path temporaryCwd(Path tempRoot) throws SetupException {
    try {
      Files.createDirectories(tempRoot);
      return Files.createTempDirectory(tempRoot, "updraft-try-");
    } catch (IOException e) {
      throw new SetupException(
          "cannot create a working folder under " + tempRoot + ": " + e.getMessage(), e);
    }
  }

  static List<String> argv(String bash, String command) {
    return List.of(bash, "-c", command);
  }

  /** The command as one log line: quoted, with line breaks shown as {@code \n}. */
  static String quote(String command) {
    return "'"
        + command
            .replace("\\", "\\\\")
            .replace("'", "\\'")
            .replace("\r", "\\r")
            .replace("\n", "\\n")
        + "'";
  }
}
