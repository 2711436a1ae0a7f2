package io.updraft.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CanonicalJsonTest {
  private static final ObjectMapper JACKSON = new ObjectMapper();

  @Test
  void escapesQuoteBackslashAndEveryControlCharacter() {
    StringBuilder all = new StringBuilder();
    for (char c = 0; c < 0x20; c++) {
      all.append(c);
    }
    String json = CanonicalJson.write(all + "\"\\/\u007f");

    assertThat(json)
        .isEqualTo(
            "\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r"
                + "\\u000e\\u000f\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018"
                + "\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f\\\"\\\\/\u007f\"");
  }

  @Test
  void nonAsciiIsWrittenAsItselfAndLoneSurrogatesEscaped() throws Exception {
    String text = "Zoë → 東京 😀 \u2028 \ud800 x \udc00";
    String json = CanonicalJson.write(text);

    assertThat(json).isEqualTo("\"Zoë → 東京 😀 \u2028 \\ud800 x \\udc00\"");
    assertThat(JACKSON.readValue(json, String.class)).isEqualTo(text);
  }

  @Test
  void objectKeysAreSortedByUtf16CodeUnitsAndNothingElseMatters() {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("b", 1);
    a.put("a", Map.of("z", true, "y", false));
    a.put("B", null);
    a.put("é", 2);
    a.put("__version", 3);
    Map<String, Object> b = new HashMap<>();
    List<String> keys = Arrays.asList("é", "B", "__version", "a", "b");
    for (String k : keys) {
      b.put(k, a.get(k));
    }

    String json = CanonicalJson.write(a);
    assertThat(json)
        .isEqualTo("{\"B\":null,\"__version\":3,\"a\":{\"y\":false,\"z\":true},\"b\":1,\"é\":2}");
    assertThat(CanonicalJson.write(b)).isEqualTo(json);
  }

  @Test
  void integralNumbersPrintTheSameWhateverTheirJavaType() {
    List<Number> fives =
        List.of(
            5,
            5L,
            (short) 5,
            (byte) 5,
            BigInteger.valueOf(5),
            new BigDecimal("5"),
            new BigDecimal("5E+0"),
            new AtomicLong(5));
    for (Number n : fives) {
      assertThat(CanonicalJson.write(n)).as(n.getClass().getName()).isEqualTo("5");
    }
    assertThat(CanonicalJson.write(new BigDecimal("1E+3"))).isEqualTo("1000");
    assertThat(CanonicalJson.write(new BigInteger("123456789012345678901234567890")))
        .isEqualTo("123456789012345678901234567890");
    assertThat(CanonicalJson.write(Long.MIN_VALUE)).isEqualTo("-9223372036854775808");
  }

  @ParameterizedTest
  @CsvSource({
    "5.0, 5.0",
    "0.1, 0.1",
    "-2.5, -2.5",
    "1e-5, 1.0E-5",
    "1e21, 1.0E21",
    "123456789.125, 1.23456789125E8",
    "2e-323, 2.0E-323",
    "-0.0, -0.0",
  })
  void floatingNumbersPrintTheirShortestForm(double value, String expected) {
    assertThat(CanonicalJson.write(value)).isEqualTo(expected);
  }

  @Test
  void floatsAndDecimalsPrintLikeTheDoubleTheyMean() {
    assertThat(CanonicalJson.write(0.1f)).isEqualTo("0.1");
    assertThat(CanonicalJson.write(new BigDecimal("0.10"))).isEqualTo("0.1");
    assertThat(CanonicalJson.write(new BigDecimal("5.0"))).isEqualTo("5.0");
    assertThat(CanonicalJson.write(0.3)).isEqualTo(CanonicalJson.write(new BigDecimal("0.3")));
  }

  @Test
  void valuesJsonCannotHoldAreRejectedWithTheirPath() {
    assertThatThrownBy(() -> CanonicalJson.write(Map.of("a", List.of(1, Double.NaN))))
        .isInstanceOf(DagSerializationException.class)
        .hasMessageStartingWith("a[1]: NaN has no JSON form");
    assertThatThrownBy(() -> CanonicalJson.write(Map.of("a", Double.POSITIVE_INFINITY)))
        .hasMessageStartingWith("a: Infinity has no JSON form");
    assertThatThrownBy(
            () -> CanonicalJson.write(Map.of("a", new BigDecimal("1" + "0".repeat(400) + ".5"))))
        .hasMessageContaining("too large");
    assertThatThrownBy(() -> CanonicalJson.write(Map.of("a", Map.of(1, "x"))))
        .hasMessageStartingWith("a: map key 1 is not text");
    assertThatThrownBy(() -> CanonicalJson.write(Map.of("a", new Object())))
        .hasMessageStartingWith("a: a java.lang.Object cannot be serialized");
  }

  @Test
  void outputIsOneLineOfValidJson() throws Exception {
    Map<String, Object> value = new HashMap<>();
    value.put("text", "line1\nline2\r\n\ttab");
    value.put("list", Arrays.asList(1, null, "x", List.of(), Map.of()));
    value.put("n", -12.75);
    String json = CanonicalJson.write(value);

    assertThat(json).doesNotContain("\n", "\r", " :", ": ", ", ");
    assertThat(JACKSON.readTree(json)).isEqualTo(JACKSON.valueToTree(value));
  }
}
