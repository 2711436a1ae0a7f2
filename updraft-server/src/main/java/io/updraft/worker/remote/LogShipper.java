package io.updraft.worker.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;
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

  /**
   * Reports the try's end with the rest of its log in the same request (decisions/0181): pieces
   * beyond one request's worth go first, the last rides on the end, which the API server records
   * only once that piece is stored. If the end with its piece fails (an API server that keeps no
   * logs, a gap, a lost answer), the rest of the log is shipped on its own and the end sent again
   * without it, as before the two were one request. Returns the end's answer; throws when the end
   * could not be reported.
   */
  /** The first pause between two reports of an end the API server did not take. */
  private static final Duration END_PAUSE = Duration.ofMillis(200);

  /** The longest pause between two reports of an end. */
  private static final Duration END_PAUSE_MAX = Duration.ofSeconds(2);

  /**
   * {@link #end}, again while the API server cannot be reached or fails (5xx: restarting, its
   * database away): an end it never took would leave the try to the heartbeat timeout, its work
   * done but counted as a failure. Gives up when the API refuses it (4xx: the try is no longer this
   * worker's), or once {@code giveUpAfter} (the heartbeat timeout) has passed since the first
   * report — by then the scheduler has taken the try for dead. Reporting twice is harmless: the
   * second finds the try ended and changes nothing, and a log piece sent again is stored once.
   * Returns the API's answer, or null if it never took the end.
   */
  JsonNode endRetrying(Supplier<String> token, ObjectNode endBody, Duration giveUpAfter) {
    long giveUpAt = System.nanoTime() + giveUpAfter.toNanos();
    Duration pause = END_PAUSE;
    for (int attempt = 1; ; attempt++) {
      RuntimeException failure;
      try {
        return end(token.get(), endBody.deepCopy());
      } catch (ExecutionClient.Refused e) {
        if (e.status() < 500) {
          log.warn(
              "the API server refused the end of task instance {}: {}",
              taskInstanceId,
              e.getMessage());
          return null;
        }
        failure = e;
      } catch (RuntimeException e) {
        failure = e;
      }
      if (System.nanoTime() + pause.toNanos() > giveUpAt) {
        log.warn(
            "could not report the end of task instance {} in {} attempts: {}",
            taskInstanceId,
            attempt,
            failure.getMessage());
        return null;
      }
      log.info(
          "reporting the end of task instance {} failed (attempt {}), again in {} ms: {}",
          taskInstanceId,
          attempt,
          pause.toMillis(),
          failure.getMessage());
      try {
        Thread.sleep(pause.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
      Duration twice = pause.multipliedBy(2);
      pause = twice.compareTo(END_PAUSE_MAX) > 0 ? END_PAUSE_MAX : twice;
    }
  }

  synchronized JsonNode end(String token, ObjectNode endBody) {
    try {
      send(token, true, true);
      Piece last = nextPiece(true);
      if (last != null) {
        endBody.putObject("log").put("offset", sent).put("text", last.text());
      }
      JsonNode answer = client.end(token, taskInstanceId, endBody);
      if (answer.hasNonNull("log_size")) {
        sent = answer.get("log_size").asLong();
      }
      return answer;
    } catch (RuntimeException | IOException e) {
      if (!endBody.has("log")) {
        throw e instanceof RuntimeException r ? r : new UncheckedIOException((IOException) e);
      }
      log.debug(
          "ending task instance {} with its log's last piece: {}; sending them apart",
          taskInstanceId,
          e.getMessage());
      endBody.remove("log");
      finish(token);
      return client.end(token, taskInstanceId, endBody);
    }
  }

  private void send(String token, boolean all) throws IOException {
    send(token, all, false);
  }

  /** Ships pieces; with {@code keepLast}, stops before the last one (what one request can hold). */
  private void send(String token, boolean all, boolean keepLast) throws IOException {
    while (!(keepLast && size() - sent <= MAX_PIECE)) {
      Piece piece = nextPiece(all);
      if (piece == null) {
        return;
      }
      sent = client.appendLog(token, taskInstanceId, sent, piece.text());
      if (piece.cutShort() && !all) {
        return; // the rest is a line still being written
      }
    }
  }

  /**
   * @param cutShort it ends before what was read (at a line's end)
   */
  private record Piece(String text, boolean cutShort) {}

  private long size() {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * The next piece to ship from byte {@link #sent} on, cut as {@link #cut} says; null when there is
   * none (no file, nothing new, or no whole line yet).
   */
  private Piece nextPiece(boolean all) throws IOException {
    if (!Files.exists(file)) {
      return null;
    }
    byte[] piece;
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long size = f.length();
      if (size <= sent) {
        return null;
      }
      int n = (int) Math.min(MAX_PIECE, size - sent);
      piece = new byte[n];
      f.seek(sent);
      f.readFully(piece);
    }
    int end = cut(piece, all);
    return end == 0
        ? null
        : new Piece(new String(piece, 0, end, StandardCharsets.UTF_8), end < piece.length);
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
