package io.updraft.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The log's byte path writes exactly what decoding a line with {@link OutputDecoder} gives. */
class Utf8EscapesTest {

  private static String escaped(byte[] b) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Utf8Escapes.write(b, 0, b.length, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void agreesWithTheDecoderOnRandomMixesOfValidAndBrokenUtf8() throws IOException {
    byte[][] pieces = {
      "a".getBytes(StandardCharsets.UTF_8),
      "é".getBytes(StandardCharsets.UTF_8),
      "€".getBytes(StandardCharsets.UTF_8),
      "😀".getBytes(StandardCharsets.UTF_8),
      {(byte) 0xff},
      {(byte) 0x80},
      {(byte) 0xc0, (byte) 0xaf}, // overlong
      {(byte) 0xe0, (byte) 0x80, (byte) 0x80}, // overlong
      {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, // a surrogate
      {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
      {(byte) 0xe2, (byte) 0x82}, // cut short
      {(byte) 0xf0, (byte) 0x9f},
      {(byte) 0xc3},
    };
    Random random = new Random(10);
    for (int round = 0; round < 20_000; round++) {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int n = random.nextInt(12);
      for (int i = 0; i < n; i++) {
        line.writeBytes(pieces[random.nextInt(pieces.length)]);
      }
      byte[] b = line.toByteArray();
      assertThat(escaped(b))
          .as("bytes %s", java.util.HexFormat.of().formatHex(b))
          .isEqualTo(OutputDecoder.decode(b, 0, b.length));
    }
  }

  @Test
  void aCarriageReturnBeforeALineFeedIsDroppedOthersAreKept() throws IOException {
    assertThat(escaped("a\r\nb\rc\r".getBytes(StandardCharsets.UTF_8))).isEqualTo("a\nb\rc\r");
  }
}
