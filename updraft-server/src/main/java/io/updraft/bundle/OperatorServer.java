package io.updraft.bundle;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Entry point of a warm child JVM that runs tries of the custom operators of one bundle, one try at
 * a time, for as long as the worker keeps it: {@code OperatorServer JAR per_try|per_bundle}
 * (decisions/0140).
 *
 * <p>Requests come on stdin, one {@link OperatorRequest} as JSON per line. Everything goes back on
 * stdout as frames ({@link Frames}): what user code prints to {@code System.out} and {@code
 * System.err} (each write its own frame, so the worker can put it in the log of the try that runs
 * now), then the try's {@link OperatorResult}. The result frame comes after every output frame of
 * its try, so the log is complete when the worker reads it. stderr stays a plain pipe for what the
 * JVM itself says (a crash, an out-of-memory error of a thread).
 *
 * <p>With {@code per_try} each try loads the operator in a new class loader over the jar, so static
 * fields of the bundle's classes start fresh for every try; {@code per_bundle} keeps one loader.
 * The end of stdin (the worker stopped it, or died) ends this JVM.
 */
public final class OperatorServer {
  private static final ObjectMapper JSON = new ObjectMapper();

  private OperatorServer() {}

  public static void main(String[] args) throws IOException {
    Path jar = Path.of(args[0]);
    boolean perTry = !"per_bundle".equals(args[1]);
    Frames frames =
        new Frames(
            new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), Frames.MAX + 5));
    System.setOut(new PrintStream(frames.stream(Frames.OUT), true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(frames.stream(Frames.ERR), true, StandardCharsets.UTF_8));
    URLClassLoader kept = perTry ? null : OperatorMain.loader(jar);
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      OperatorRequest request = JSON.readValue(line, OperatorRequest.class);
      OperatorResult out;
      if (kept != null) {
        out = OperatorMain.runIn(kept, request);
      } else {
        try (URLClassLoader loader = OperatorMain.loader(jar)) {
          out = OperatorMain.runIn(loader, request);
        }
      }
      if (out.state().equals(OperatorResult.FAILED)) {
        System.err.println("error: " + out.error());
      }
      System.out.flush();
      System.err.flush();
      byte[] result = JSON.writeValueAsBytes(out);
      frames.write(Frames.RESULT, result, 0, result.length);
    }
    System.exit(0); // threads the operators left behind must not keep this JVM alive
  }

  /**
   * The frames on stdout: a type byte, a 4-byte big-endian length, the bytes. Output is cut into
   * frames of at most {@link #MAX} bytes, which bounds what the worker reads at once.
   */
  public static final class Frames {
    public static final byte OUT = 'O';
    public static final byte ERR = 'E';
    public static final byte RESULT = 'R';
    public static final int MAX = 64 * 1024;

    private final OutputStream out;
    private final byte[] header = new byte[5];

    Frames(OutputStream out) {
      this.out = out;
    }

    synchronized void write(byte type, byte[] b, int off, int len) throws IOException {
      do {
        int n = type == RESULT ? len : Math.min(len, MAX);
        header[0] = type;
        header[1] = (byte) (n >>> 24);
        header[2] = (byte) (n >>> 16);
        header[3] = (byte) (n >>> 8);
        header[4] = (byte) n;
        out.write(header);
        out.write(b, off, n);
        off += n;
        len -= n;
      } while (len > 0);
      out.flush();
    }

    OutputStream stream(byte type) {
      return new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          if (len > 0) {
            Frames.this.write(type, b, off, len);
          }
        }
      };
    }
  }
}
