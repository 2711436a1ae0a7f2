package io.updraft.worker;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes a line of process output as UTF-8 the way Airflow's subprocess hook does ({@code
 * errors="backslashreplace"}): each byte that is not valid UTF-8 becomes the text {@code \xNN}, so
 * nothing is lost and the log stays valid UTF-8.
 */
final class OutputDecoder {

  private OutputDecoder() {}

  static String decode(byte[] bytes, int offset, int length) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, offset, length);
    CharBuffer out = CharBuffer.allocate(length + 16);
    StringBuilder text = new StringBuilder(length);
    while (true) {
      CoderResult r = decoder.decode(in, out, true);
      if (r.isOverflow()) {
        text.append(out.flip());
        out.clear();
        continue;
      }
      if (r.isError()) {
        text.append(out.flip());
        out.clear();
        for (int i = 0; i < r.length(); i++) {
          text.append(String.format("\\x%02x", in.get() & 0xff));
        }
        continue;
      }
      // underflow: all input consumed (endOfInput=true reports a truncated tail as malformed)
      decoder.flush(out);
      text.append(out.flip());
      return text.toString();
    }
  }
}
