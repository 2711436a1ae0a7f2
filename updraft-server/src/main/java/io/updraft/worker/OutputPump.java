package io.updraft.worker;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * Reads one output pipe of a process to its end and hands over complete lines (without the line
 * ending), so the log gets the output while the process runs and the pipe never fills up.
 *
 * <p>A line longer than {@link #MAX_LINE} bytes is cut into pieces of at most that size (at a UTF-8
 * character boundary), which bounds memory for output without newlines. After each read that drains
 * the pipe, {@code idle} runs, so the log can be flushed in batches rather than per line.
 */
final class OutputPump implements Runnable {

  static final int MAX_LINE = 64 * 1024;

  private final InputStream in;
  private final Consumer<String> lines;
  private final Runnable idle;

  OutputPump(InputStream in, Consumer<String> lines, Runnable idle) {
    this.in = in;
    this.lines = lines;
    this.idle = idle;
  }

  @Override
  public void run() {
    byte[] buf = new byte[16 * 1024];
    byte[] line = new byte[1024];
    int len = 0;
    try (in) {
      int n;
      while ((n = in.read(buf)) > 0) {
        for (int i = 0; i < n; i++) {
          byte b = buf[i];
          if (b == '\n') {
            emit(line, len);
            len = 0;
            continue;
          }
          if (len == line.length) {
            if (len >= MAX_LINE) {
              int cut = utf8Boundary(line, len, b);
              emit(line, cut);
              System.arraycopy(line, cut, line, 0, len - cut);
              len -= cut;
            } else {
              line = java.util.Arrays.copyOf(line, Math.min(MAX_LINE, line.length * 2));
            }
          }
          line[len++] = b;
        }
        if (in.available() == 0) {
          idle.run();
        }
      }
    } catch (IOException e) {
      // The pipe was closed under us (the try gave up waiting for it); keep what was read.
    }
    if (len > 0) {
      emit(line, len);
    }
    idle.run();
  }

  private void emit(byte[] line, int len) {
    int end = len;
    if (end > 0 && line[end - 1] == '\r') {
      end--;
    }
    lines.accept(OutputDecoder.decode(line, 0, end));
  }

  /**
   * Where to cut a full line buffer so that the next byte {@code next} does not continue a UTF-8
   * sequence cut in half: before that sequence's lead byte when {@code next} is a continuation.
   */
  private static int utf8Boundary(byte[] line, int len, byte next) {
    if ((next & 0xC0) != 0x80) {
      return len;
    }
    for (int i = len - 1; i >= Math.max(1, len - 3); i--) {
      if ((line[i] & 0xC0) == 0xC0) {
        return i;
      }
    }
    return len;
  }
}
