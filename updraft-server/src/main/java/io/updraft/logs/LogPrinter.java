package io.updraft.logs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Copies a try's log file to an output as bytes, never line by line: the whole file, its last lines
 * (found by reading backwards from the end, so a 200 MB log costs what its tail costs), or what is
 * appended while the try runs. A log is copied as it is: the worker already wrote it as UTF-8.
 *
 * <p>When the output is closed under it (a pipe whose reader, e.g. {@code head}, has exited), it
 * throws {@link OutputClosed} at the first write that fails, and the command stops quietly.
 */
public final class LogPrinter {

  /** The output went away: nothing more can be printed, and nobody is reading an error either. */
  public static final class OutputClosed extends Exception {
    OutputClosed(IOException cause) {
      super(cause);
    }
  }

  private static final int BLOCK = 64 * 1024;

  private final WritableByteChannel out;

  public LogPrinter(WritableByteChannel out) {
    this.out = out;
  }

  public static FileChannel open(Path log) throws IOException {
    return FileChannel.open(log, StandardOpenOption.READ);
  }

  /** Copies the bytes from {@code from} to the file's current end; returns where it stopped. */
  public long copy(FileChannel in, long from) throws IOException, OutputClosed {
    long end = in.size();
    long pos = from;
    while (pos < end) {
      long n;
      try {
        n = in.transferTo(pos, end - pos, out);
      } catch (IOException e) {
        throw new OutputClosed(e);
      }
      if (n <= 0) {
        break; // the file shrank under us (truncated): nothing more to copy
      }
      pos += n;
    }
    return pos;
  }

  /**
   * Where the last {@code lines} lines of the file start: after the {@code lines}-th line feed from
   * the end, not counting the one that ends the last line. Reads backwards in blocks.
   */
  public static long tailStart(FileChannel in, int lines) throws IOException {
    long size = in.size();
    if (lines == 0) {
      return size;
    }
    ByteBuffer buf = ByteBuffer.allocate(BLOCK);
    long pos = size;
    int seen = 0;
    while (pos > 0) {
      int n = (int) Math.min(BLOCK, pos);
      pos -= n;
      buf.clear().limit(n);
      while (buf.hasRemaining()) {
        if (in.read(buf, pos + buf.position()) < 0) {
          return 0; // shrank while we read: print it all
        }
      }
      for (int i = n - 1; i >= 0; i--) {
        if (buf.get(i) == '\n' && pos + i != size - 1 && ++seen == lines) {
          return pos + i + 1;
        }
      }
    }
    return 0;
  }
}
