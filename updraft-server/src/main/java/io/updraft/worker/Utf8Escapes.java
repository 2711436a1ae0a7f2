package io.updraft.worker;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Copies process output to the log as bytes, the way {@link OutputDecoder} would decode it but
 * without making a {@code String} of it: valid UTF-8 is copied as it is, and each byte that is not
 * part of a well-formed UTF-8 sequence (Unicode's table 3-7: no overlong forms, no surrogates,
 * nothing above U+10FFFF) becomes the text {@code \xNN}. A carriage return right before a line feed
 * is dropped, so CRLF output gives LF lines.
 *
 * <p>No allocation per call: a task printing hundreds of megabytes costs the worker no garbage.
 */
final class Utf8Escapes {
  private static final byte[] HEX =
      "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private Utf8Escapes() {}

  static void write(byte[] b, int off, int len, OutputStream out) throws IOException {
    int end = off + len;
    int run = off; // start of the bytes not yet written
    int i = off;
    while (i < end) {
      int c = b[i] & 0xff;
      if (c < 0x80) {
        if (c == '\r' && i + 1 < end && b[i + 1] == '\n') {
          out.write(b, run, i - run);
          run = i + 1;
        }
        i++;
        continue;
      }
      int n = sequenceLength(b, i, end);
      if (n > 0) {
        i += n;
        continue;
      }
      out.write(b, run, i - run);
      out.write('\\');
      out.write('x');
      out.write(HEX[c >> 4]);
      out.write(HEX[c & 0xf]);
      i++;
      run = i;
    }
    out.write(b, run, end - run);
  }

  /** The length of the well-formed sequence starting at {@code i} (a byte >= 0x80), or 0. */
  private static int sequenceLength(byte[] b, int i, int end) {
    int c = b[i] & 0xff;
    int n;
    int lo = 0x80;
    int hi = 0xbf; // the allowed range of the second byte
    if (c >= 0xc2 && c <= 0xdf) {
      n = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
      n = 3;
      if (c == 0xe0) {
        lo = 0xa0;
      } else if (c == 0xed) {
        hi = 0x9f;
      }
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 4;
      if (c == 0xf0) {
        lo = 0x90;
      } else if (c == 0xf4) {
        hi = 0x8f;
      }
    } else {
      return 0;
    }
    if (i + n > end) {
      return 0;
    }
    int second = b[i + 1] & 0xff;
    if (second < lo || second > hi) {
      return 0;
    }
    for (int k = 2; k < n; k++) {
      if ((b[i + k] & 0xc0) != 0x80) {
        return 0;
      }
    }
    return n;
  }
}
