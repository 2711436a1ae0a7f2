package io.updraft.worker;

import io.updraft.connections.SecretMasker;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;

/**
 * The log file of one try, at Airflow's default path {@code
 * <logsRoot>/dag_id=<dag>/run_id=<run>/task_id=<task>/attempt=<n>.log}.
 *
 * <p>The file holds the command's output lines as they come (stdout and stderr interleaved in
 * arrival order, each line as printed), framed by Updraft's own lines, which start with a UTC
 * timestamp and {@code [updraft]}: a header naming the try and the command, and a footer with the
 * exit code and the duration. Lines are buffered and flushed whenever a pipe has been drained, so
 * the file follows the process closely without a write per line. Writing is thread-safe; lines
 * arriving after {@link #close} (from a process that outlived its try) are dropped.
 *
 * <p>Writing never throws: a try whose log cannot be written (disk full) still runs to its end and
 * keeps its outcome, and the pipe readers keep draining the process so it cannot block on a full
 * pipe. The first write error is kept ({@link #writeError}).
 */
public final class TryLog implements Closeable {

  private final Path path;
  private final Clock clock;
  private final OutputStream out;
  private final SecretMasker masker;
  private boolean closed;
  private String writeError;

  private TryLog(Path path, Clock clock, OutputStream out, SecretMasker masker) {
    this.path = path;
    this.clock = clock;
    this.out = out;
    this.masker = masker;
  }

  /**
   * Where the log of a try lives.
   *
   * @throws SafePaths.UnsafePathException if the ids would put it outside {@code logsRoot}
   */
  public static Path path(Path logsRoot, String dagId, String runId, String taskId, int tryNumber) {
    return SafePaths.under(logsRoot, names(dagId, runId, taskId, tryNumber));
  }

  private static String[] names(String dagId, String runId, String taskId, int tryNumber) {
    return new String[] {
      "dag_id=" + dagId, "run_id=" + runId, "task_id=" + taskId, "attempt=" + tryNumber + ".log"
    };
  }

  /**
   * {@link #path} by the names alone, without looking at the file system: for {@link #create},
   * which checks the folders on the way as it makes them.
   *
   * @throws SafePaths.UnsafePathException if an id is not a plain file name
   */
  static Path named(Path logsRoot, String dagId, String runId, String taskId, int tryNumber) {
    return SafePaths.named(logsRoot, names(dagId, runId, taskId, tryNumber));
  }

  /**
   * The worker's {@link #open}: the folders made (or found) through {@code folders}, which
   * remembers them for the next tries, and the file opened without following a symbolic link, so it
   * cannot lead out of {@code logsRoot}.
   *
   * @param path a path from {@link #named} under {@code logsRoot}
   * @throws SafePaths.UnsafePathException if a folder on the way links outside {@code logsRoot}
   */
  static TryLog create(
      LogFolders folders, Path logsRoot, Path path, Clock clock, SecretMasker masker)
      throws IOException {
    Path root = logsRoot.toAbsolutePath().normalize();
    Path folder = path.getParent();
    folders.prepare(root, folder);
    OutputStream file;
    try {
      file = append(path);
    } catch (NoSuchFileException e) {
      folders.forget(folder); // removed since it was made: make it again
      folders.prepare(root, folder);
      file = append(path);
    }
    return new TryLog(path, clock, new BufferedOutputStream(file, 64 * 1024), masker);
  }

  private static OutputStream append(Path path) throws IOException {
    return Files.newOutputStream(
        path, StandardOpenOption.CREATE, StandardOpenOption.APPEND, LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * Creates the folders and opens the file; a rerun of the same try number appends (as Airflow's
   * file handler does), so nothing an earlier attempt wrote is lost.
   */
  public static TryLog open(Path path, Clock clock) throws IOException {
    return open(path, clock, new SecretMasker());
  }

  /**
   * {@link #open(Path, Clock)} with the try's secret masker: every line written, output and
   * Updraft's own, has the secrets it knows by then replaced by {@code ***} (SPEC §1.7). Masking is
   * per write: a secret cut by a {@link OutputPump#MAX_LINE} split is not found (decisions/0063).
   */
  public static TryLog open(Path path, Clock clock, SecretMasker masker) throws IOException {
    Files.createDirectories(path.getParent());
    OutputStream out =
        new BufferedOutputStream(
            Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND),
            64 * 1024);
    return new TryLog(path, clock, out, masker);
  }

  public Path path() {
    return path;
  }

  /** Writes an Updraft line: {@code [2024-01-31T02:00:00.123Z] [updraft] message}. */
  public synchronized void note(String message) {
    noteLater(message);
    flush();
  }

  /**
   * {@link #note} without flushing: the line reaches the file with the next flush — the process
   * runner's once the process has started, a pipe's drain, or {@link #close}. Saves a write per
   * line of the header and footer of a short try.
   */
  synchronized void noteLater(String message) {
    write("[" + clock.instant() + "] [updraft] " + masker.mask(message));
  }

  /**
   * Writes whole lines of the command's output, each ending in {@code \n}, as bytes: UTF-8 as it
   * is, other bytes as {@code \xNN} ({@link Utf8Escapes}).
   */
  synchronized void outputLines(byte[] b, int off, int len) {
    if (closed || writeError != null) {
      return;
    }
    try {
      byte[] masked = masker.mask(b, off, len);
      if (masked == null) {
        Utf8Escapes.write(b, off, len, out);
      } else {
        Utf8Escapes.write(masked, 0, masked.length, out);
      }
    } catch (IOException e) {
      failed(e);
    }
  }

  /** Writes one line of the command's output (without its line ending) and ends it. */
  synchronized void outputLine(byte[] b, int off, int len) {
    if (closed || writeError != null) {
      return;
    }
    try {
      byte[] masked = masker.mask(b, off, len);
      if (masked == null) {
        Utf8Escapes.write(b, off, len, out);
      } else {
        Utf8Escapes.write(masked, 0, masked.length, out);
      }
      out.write('\n');
    } catch (IOException e) {
      failed(e);
    }
  }

  public synchronized void flush() {
    if (closed || writeError != null) {
      return;
    }
    try {
      out.flush();
    } catch (IOException e) {
      failed(e);
    }
  }

  /** The first error writing the file, or null. */
  public synchronized String writeError() {
    return writeError;
  }

  private void write(String line) {
    if (closed || writeError != null) {
      return;
    }
    try {
      out.write(line.getBytes(StandardCharsets.UTF_8));
      out.write('\n');
    } catch (IOException e) {
      failed(e);
    }
  }

  private void failed(IOException e) {
    writeError = "cannot write the log " + path + ": " + e.getMessage();
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      try {
        out.close();
      } catch (IOException e) {
        if (writeError == null) {
          failed(e);
        }
      }
    }
  }
}
