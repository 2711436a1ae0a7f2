package io.updraft.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Where {@code tasks logs} writes a log's bytes. On the console (the command's standard output) it
 * is the file descriptor itself, so a log is copied by the kernel in large chunks ({@code
 * sendfile}) and a closed pipe ({@code | head}) is an {@link IOException} at once — {@link
 * System#out} would swallow it and keep reading. Elsewhere (a command line whose output was
 * redirected to a writer, as tests do) the bytes are decoded as UTF-8 into that writer.
 */
final class LogOutput {

  private LogOutput() {}

  /** The channel for a command's output writer; the caller flushes the writer first. */
  static WritableByteChannel of(PrintWriter out) {
    return out instanceof ConsoleWriter
        ? new FileOutputStream(FileDescriptor.out).getChannel()
        : new WriterChannel(out);
  }

  /**
   * The writer of the real standard output, as picocli would make it; {@link #of} recognises it and
   * writes to the file descriptor underneath.
   */
  static final class ConsoleWriter extends PrintWriter {
    ConsoleWriter() {
      super(new java.io.OutputStreamWriter(System.out, consoleCharset()), true);
    }

    private static java.nio.charset.Charset consoleCharset() {
      String name = System.getProperty("stdout.encoding");
      try {
        return name == null
            ? java.nio.charset.Charset.defaultCharset()
            : java.nio.charset.Charset.forName(name);
      } catch (IllegalArgumentException e) {
        return java.nio.charset.Charset.defaultCharset();
      }
    }
  }

  /** Decodes UTF-8 bytes (split anywhere) into a writer. */
  private static final class WriterChannel implements WritableByteChannel {
    private final PrintWriter out;
    private final CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private final ByteBuffer pending = ByteBuffer.allocate(8); // an unfinished character
    private final CharBuffer chars = CharBuffer.allocate(8192);

    WriterChannel(PrintWriter out) {
      this.out = out;
    }

    @Override
    public int write(ByteBuffer src) {
      int n = src.remaining();
      while (pending.position() > 0 && src.hasRemaining()) {
        pending.put(src.get());
        pending.flip();
        decode(pending);
        pending.compact();
      }
      decode(src);
      while (src.hasRemaining()) {
        pending.put(src.get());
      }
      out.flush();
      return n;
    }

    private void decode(ByteBuffer in) {
      while (true) {
        var r = decoder.decode(in, chars, false);
        out.append(chars.flip());
        chars.clear();
        if (r.isUnderflow()) {
          return;
        }
      }
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {
      out.flush();
    }
  }
}
