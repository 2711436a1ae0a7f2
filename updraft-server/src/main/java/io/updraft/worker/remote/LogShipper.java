package io.updraft.worker.remote;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what a remote try writes to its local log file on to the API server (decisions/0152), a
 * whole number of lines at a time while it runs and the rest when it ends. Each piece says at which
 * byte it starts, so one sent twice (a lost answer) is written once.
 */
final class LogShipper {
  private static final Logger log = LoggerFactory.getLogger(LogShipper.class);

  /** The most one request carries (the API takes up to 1 MiB of JSON). */
  static final int MAX_PIECE = 256 * 1024;

  private final Path file;
  private final ExecutionClient client;
  private final long taskInstanceId;
  private long sent;

  LogShipper(Path file, ExecutionClient client, long taskInstanceId) {
    this.file = file;
    this.client = client;
    this.taskInstanceId = taskInstanceId;
  }

  /** Ships whole lines written since the last call; never throws (the next call tries again). */
  synchronized void ship(String token) {
    try {
      send(token, false);
    } catch (RuntimeException | IOException e) {
      log.debug("shipping the log of task instance {}: {}", taskInstanceId, e.getMessage());
    }
  }

  /** Ships everything left, the last line too: the try has ended and its log is closed. */
  synchronized void finish(String token) {
    try {
      send(token, true);
    } catch (RuntimeException | IOException e) {
      log.warn(
          "could not ship the end of the log of task instance {} ({}); it is kept at {}",
          taskInstanceId,
          e.getMessage(),
          file);
    }
  }

  private void send(String token, boolean all) throws IOException {
    if (!Files.exists(file)) {
      return;
    }
    while (true) {
      byte[] piece;
      try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
        long size = f.length();
        if (size <= sent) {
          return;
        }
        int n = (int) Math.min(MAX_PIECE, size - sent);
        piece = new byte[n];
        f.seek(sent);
        f.readFully(piece);
      }
      int end = cut(piece, all);
      if (end == 0) {
        return;
      }
      String text = new String(piece, 0, end, StandardCharsets.UTF_8);
      sent = client.appendLog(token, taskInstanceId, sent, text);
      if (end < piece.length && !all) {
        return;
      }
    }
  }

  /**
   * Where a piece may end: after its last line end; a piece with none that fills {@link #MAX_PIECE}
   * (one very long line), or the last piece, ends where the UTF-8 text does.
   */
  static int cut(byte[] piece, boolean all) {
    for (int i = piece.length - 1; i >= 0; i--) {
      if (piece[i] == '\n') {
        return all ? utf8End(piece) : i + 1;
      }
    }
    return all || piece.length == MAX_PIECE ? utf8End(piece) : 0;
  }

  /** The end of the last whole UTF-8 character. */
  private static int utf8End(byte[] b) {
    int i = b.length;
    int back = 0;
    while (i > 0 && back < 4 && (b[i - 1] & 0xC0) == 0x80) {
      i--;
      back++;
    }
    if (i == 0) {
      return b.length;
    }
    int lead = b[i - 1] & 0xFF;
    int len = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    return back + 1 >= len ? b.length : i - 1;
  }
}
