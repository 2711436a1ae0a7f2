package io.updraft.worker;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads one output pipe of a process to its end and writes it to the try's log as it comes, so the
 * log follows the process and the pipe never fills up.
 *
 * <p>Memory stays bounded whatever the process prints: the pipe is read in 64 KiB chunks, the
 * complete lines of a chunk go to the log as bytes in one write (no {@code String} per line), and
 * only the unfinished line at the chunk's end is kept — up to {@link #MAX_LINE} bytes. A longer
 * line is written in pieces of at most that size, each on a line of its own (cut at a UTF-8
 * character boundary), so stdout and stderr, written by two pumps into one log, never mix inside a
 * line. After each read that drains the pipe the log is flushed, in batches rather than per line.
 *
 * <p>The stdout pump also feeds a {@link LastLine}, which sees the real lines (cut at {@code \n}
 * only) for the return value.
 */
final class OutputPump implements Runnable {

  static final int MAX_LINE = 64 * 1024;

  private final InputStream in;
  private final TryLog log;
  private final LastLine lastLine;

  /** The read buffer of each reader thread, kept between pipes: the threads are pooled. */
  private static final ThreadLocal<byte[]> CHUNK =
      ThreadLocal.withInitial(() -> new byte[MAX_LINE]);

  /** The open line; grown as needed up to {@link #MAX_LINE}, as most output ends its lines. */
  private byte[] line = new byte[0];

  private int len;

  /**
   * @param lastLine fed with every byte read; null for a pipe whose lines do not matter
   */
  OutputPump(InputStream in, TryLog log, LastLine lastLine) {
    this.in = in;
    this.log = log;
    this.lastLine = lastLine;
  }

  @Override
  public void run() {
    byte[] buf = CHUNK.get();
    try (in) {
      int n;
      while ((n = in.read(buf)) > 0) {
        if (lastLine != null) {
          lastLine.accept(buf, 0, n);
        }
        chunk(buf, n);
        if (in.available() == 0) {
          log.flush();
        }
      }
    } catch (IOException e) {
      // The pipe was closed under us (the try gave up waiting for it); keep what was read.
    }
    if (len > 0) {
      emitLine();
    }
    log.flush();
  }

  private void chunk(byte[] buf, int n) {
    int i = 0;
    if (len > 0) { // finish the line the last chunk left open
      int nl = indexOf(buf, 0, n, (byte) '\n');
      int end = nl < 0 ? n : nl;
      append(buf, 0, end);
      if (nl < 0) {
        return;
      }
      emitLine();
      i = nl + 1;
    }
    int lastNl = lastIndexOf(buf, i, n, (byte) '\n');
    if (lastNl >= i) {
      // whole lines, each shorter than a chunk and so than MAX_LINE: one write
      log.outputLines(buf, i, lastNl + 1 - i);
      i = lastNl + 1;
    }
    append(buf, i, n);
  }

  /** Adds to the open line, writing a full {@link #MAX_LINE} as a piece first. */
  private void append(byte[] b, int from, int to) {
    while (from < to) {
      if (len == MAX_LINE) {
        int cut = utf8Boundary(line, len, b[from]);
        log.outputLine(line, 0, cut);
        System.arraycopy(line, cut, line, 0, len - cut);
        len -= cut;
      }
      int copy = Math.min(to - from, MAX_LINE - len);
      if (len + copy > line.length) {
        line = Arrays.copyOf(line, Math.min(MAX_LINE, Math.max(len + copy, 2 * line.length)));
      }
      System.arraycopy(b, from, line, len, copy);
      len += copy;
      from += copy;
    }
  }

  private void emitLine() {
    int end = len;
    if (end > 0 && line[end - 1] == '\r') {
      end--;
    }
    log.outputLine(line, 0, end);
    len = 0;
  }

  private static int indexOf(byte[] b, int from, int to, byte v) {
    for (int i = from; i < to; i++) {
      if (b[i] == v) {
        return i;
      }
    }
    return -1;
  }

  private static int lastIndexOf(byte[] b, int from, int to, byte v) {
    for (int i = to - 1; i >= from; i--) {
      if (b[i] == v) {
        return i;
      }
    }
    return -1;
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
