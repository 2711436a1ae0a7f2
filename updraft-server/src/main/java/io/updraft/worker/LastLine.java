package io.updraft.worker;

/**
 * The last non-blank line of a stream of bytes (a shell task's return value), kept whole up to a
 * bound: a longer line is only measured, so a task printing a 200 MB line holds no 200 MB buffer.
 * Lines end at {@code \n} only — never where the log cuts a long line into pieces. Not thread-safe:
 * fed by the one thread that reads the pipe, read after it ended.
 */
final class LastLine {

  /**
   * The last non-blank line.
   *
   * @param text the line decoded as the log shows it, right-trimmed; null when it was longer than
   *     the bound, or when there was none
   * @param bytes how long the line was, in bytes, before trimming; 0 when there was none
   */
  record Value(String text, long bytes) {
    static final Value NONE = new Value(null, 0);

    boolean tooLarge() {
      return text == null && bytes > 0;
    }
  }

  private final int keep;
  private byte[] current = new byte[256];
  private int kept; // bytes of the current line in `current`, at most `keep`
  private long size; // bytes of the current line, all of them
  private boolean visible; // the current line has an ASCII byte that is not white space
  private boolean nonAscii; // ... or bytes of other characters, which may be Unicode white space
  private byte[] last = new byte[256];
  private int lastKept;
  private long lastSize;

  /**
   * @param keep the longest line kept whole, in bytes; a line of {@code keep + 1} is too large
   */
  LastLine(int keep) {
    this.keep = keep;
  }

  void accept(byte[] b, int off, int len) {
    int end = off + len;
    int start = off;
    for (int i = off; i < end; i++) {
      byte c = b[i];
      if (c == '\n') {
        append(b, start, i);
        endLine();
        start = i + 1;
      } else if (c < 0) {
        nonAscii = true;
      } else if (!visible && !isAsciiSpace(c)) {
        visible = true;
      }
    }
    append(b, start, end);
  }

  /** The stream ended: a last line without a line feed counts too. */
  Value finish() {
    if (size > 0) {
      endLine();
    }
    if (lastSize == 0) {
      return Value.NONE;
    }
    if (lastSize > keep) {
      return new Value(null, lastSize);
    }
    return new Value(OutputDecoder.decode(last, 0, lastKept).stripTrailing(), lastSize);
  }

  private void append(byte[] b, int from, int to) {
    int n = to - from;
    size += n;
    int room = keep + 1 - kept; // one byte over the bound tells a too-large line
    int copy = Math.min(n, room);
    if (copy <= 0) {
      return;
    }
    if (kept + copy > current.length) {
      current =
          java.util.Arrays.copyOf(
              current, (int) Math.min((long) keep + 1, Math.max(kept + copy, 2L * current.length)));
    }
    System.arraycopy(b, from, current, kept, copy);
    kept += copy;
  }

  private void endLine() {
    if (visible || (nonAscii && !unicodeBlank())) {
      byte[] swap = last;
      last = current;
      current = swap;
      lastKept = kept;
      lastSize = size;
    }
    kept = 0;
    size = 0;
    visible = false;
    nonAscii = false;
  }

  /**
   * Whether a line of white space and non-ASCII bytes is blank all the same (Unicode white space
   * only, as {@link String#isBlank} sees it). Rare, so decoding it is fine.
   */
  private boolean unicodeBlank() {
    return size <= keep && OutputDecoder.decode(current, 0, kept).isBlank();
  }

  /** The bytes {@link Character#isWhitespace} accepts below 0x80. */
  private static boolean isAsciiSpace(byte c) {
    return c == ' ' || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
  }
}
