package io.updraft.triggerer;

import io.updraft.connections.SecretMasker;
import io.updraft.worker.TryLog;
import io.updraft.worker.TryRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log of a deferred try, written by the triggerer: the same file a worker writes for that try
 * ({@link TryLog#path}), appended to, a line at a time, with the try's secrets masked. Lines are
 * few (the deferral, each check that changed something, the end), so the file is opened per line
 * rather than held open for thousands of waits.
 */
final class WaitLog {
  private static final Logger log = LoggerFactory.getLogger(WaitLog.class);

  private final Path path;
  private final Clock clock;
  private final SecretMasker masker;
  private boolean warned;

  /** {@code path} null: the ids would put the log outside the logs folder; lines are dropped. */
  WaitLog(Path path, Clock clock, SecretMasker masker) {
    this.path = path;
    this.clock = clock;
    this.masker = masker;
  }

  /** The log of the try {@code request} describes, masked with its masker. */
  static WaitLog of(TryRequest request, Clock clock) {
    Path path;
    try {
      path = request.logPath();
    } catch (RuntimeException e) {
      log.warn(
          "no log for {}.{} in {}: {}",
          request.dag().dagId(),
          request.task().taskId(),
          request.runId(),
          e.getMessage());
      path = null;
    }
    return new WaitLog(path, clock, request.masker());
  }

  Path path() {
    return path;
  }

  /** Appends one Updraft line; never throws (a log that cannot be written is said once). */
  synchronized void note(String line) {
    if (path == null) {
      return;
    }
    try (TryLog out = TryLog.open(path, clock, masker)) {
      out.note(line);
    } catch (IOException | RuntimeException e) {
      if (!warned) {
        warned = true;
        log.warn("cannot write the log {}: {}", path, e.getMessage());
      }
    }
  }
}
