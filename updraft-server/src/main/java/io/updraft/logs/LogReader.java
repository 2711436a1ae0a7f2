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
 * live tail): at most {@code max} bytes a time, cut only between UTF-8 characters, so the next
 * read's offset continues exactly where this one stopped. The path comes from {@link
 * io.updraft.worker.TryLog#path}, which keeps it under the logs folder.
 */
public final class LogReader {
  private LogReader() {}

  /**
   * Up to {@code max} bytes from {@code from}; an offset past the end (the file was truncated or
   * replaced) reads from the start again.
   *
   * @return empty when there is no log file (the try has not started, or ran elsewhere)
   */
  public static Optional<LogChunk> read(Path log, long from, int max) throws IOException {
    try (FileChannel in = LogPrinter.open(log)) {
      long size = in.size();
      long start = from < 0 || from > size ? 0 : from;
      int n = (int) Math.min(max, size - start);
      ByteBuffer buf = ByteBuffer.allocate(n);
      while (buf.hasRemaining()) {
        if (in.read(buf, start + buf.position()) < 0) {
          break;
        }
      }
      int len = wholeCharacters(buf.array(), buf.position());
      String text = new String(buf.array(), 0, len, StandardCharsets.UTF_8);
      return Optional.of(new LogChunk(text, start, start + len, size));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
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
