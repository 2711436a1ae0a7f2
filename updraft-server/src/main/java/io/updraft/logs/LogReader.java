package io.updraft.logs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads a try's log in pieces from a byte offset, for a reader that comes back for more (the UI's
 * live tail, the API's log endpoint with its continuation token): at most {@code max} bytes a time,
 * whole lines while the try runs, so the next read's offset continues exactly where this one
 * stopped. The path comes from {@link io.updraft.worker.TryLog#path}, which keeps it under the logs
 * folder.
 */
public final class LogReader {
  private LogReader() {}

  /**
   * Up to {@code max} bytes from {@code from}, ending at a line end — unless the try is over and
   * this is the rest of the file (a last line without its line end included), or one line is longer
   * than {@code max} (handed over in parts, cut between characters). An offset at or past the end
   * reads nothing and stays at the end (decisions/0103).
   *
   * @param over the try has ended ({@link TryStates}): nothing more will be written
   * @return empty when there is no log file (the try has not started, or ran elsewhere)
   */
  public static Optional<LogChunk> read(Path log, long from, int max, boolean over)
      throws IOException {
    try (FileChannel in = LogPrinter.open(log)) {
      long size = in.size();
      long start = Math.max(0, from);
      if (start >= size) {
        return Optional.of(new LogChunk("", size, size, size));
      }
      int want = (int) Math.min(max, size - start);
      ByteBuffer buf = ByteBuffer.allocate(want);
      while (buf.hasRemaining() && in.read(buf, start + buf.position()) > 0) {
        // read until full or the file ends
      }
      int n = buf.position();
      int cut = n;
      if (!(over && start + n >= size)) {
        cut = lastLineEnd(buf.array(), n);
        if (cut == 0 && n == max) {
          cut = wholeCharacters(buf.array(), n); // one line longer than a piece
        }
      }
      String text = new String(buf.array(), 0, cut, StandardCharsets.UTF_8);
      return Optional.of(new LogChunk(text, start, start + cut, size));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  private static int lastLineEnd(byte[] b, int n) {
    for (int i = n - 1; i >= 0; i--) {
      if (b[i] == '\n') {
        return i + 1;
      }
    }
    return 0;
  }

  /** The last {@code max} bytes at most, starting at a line: where a page shows a long log from. */
  public static long tailOffset(Path log, int max) throws IOException {
    try (FileChannel in = LogPrinter.open(log)) {
      long size = in.size();
      if (size <= max) {
        return 0;
      }
      long start = size - max;
      ByteBuffer buf = ByteBuffer.allocate((int) Math.min(64 * 1024, max));
      int n = in.read(buf, start);
      for (int i = 0; i < n; i++) {
        if (buf.get(i) == '\n') {
          return start + i + 1;
        }
      }
      return start;
    } catch (NoSuchFileException e) {
      return 0;
    }
  }

  /** How many of the first {@code len} bytes end on a whole UTF-8 character. */
  static int wholeCharacters(byte[] b, int len) {
    int i = len - 1;
    int back = 0;
    while (i >= 0 && back < 4 && (b[i] & 0xC0) == 0x80) {
      i--; // a continuation byte: find where its character starts
      back++;
    }
    if (i < 0) {
      return len;
    }
    int lead = b[i] & 0xFF;
    int need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    return len - i >= need ? len : i;
  }
}
