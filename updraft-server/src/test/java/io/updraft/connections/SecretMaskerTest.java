package io.updraft.connections;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretMaskerTest {
  @Test
  void masksEverySecretLongestFirstAndSkipsShortOnes() {
    SecretMasker m = new SecretMasker();
    m.add("ab");
    m.add("pass");
    m.add("password1");
    assertThat(m.mask("ab pass password1 x")).isEqualTo("ab *** *** x");
    assertThat(m.mask(null)).isNull();
    assertThat(new SecretMasker().mask("pass")).isEqualTo("pass");
  }

  @Test
  void aConnectionGivesItsPasswordAndSensitiveExtraFieldsAtAnyDepth() {
    SecretMasker m = new SecretMasker();
    m.add(
        new Connection(
            "c",
            "http",
            "host",
            null,
            "login",
            "pw-1",
            null,
            Map.of(
                "timeout", "30000",
                "API_KEY", "ak-2",
                "auth", Map.of("client_secret", "cs-3", "private_key", "-----A\nline-two\n"))));
    assertThat(m.mask("login host 30000 pw-1 ak-2 cs-3 line-two"))
        .isEqualTo("login host 30000 *** *** *** ***");
  }

  @Test
  void aVariableIsSecretByItsKeyOrByItsJsonFields() {
    SecretMasker m = new SecretMasker();
    m.addVariable("region", "eu-west-1");
    m.addVariable("db_Passphrase", "phrase-9");
    m.addVariable("cfg", "{\"token\": \"tk-1\", \"n\": {\"secret\": \"s-2\"}, \"rows\": 10}");
    assertThat(m.mask("eu-west-1 phrase-9 tk-1 s-2 10")).isEqualTo("eu-west-1 *** *** *** 10");
  }

  @Test
  void theJsonEscapedFormIsMaskedToo() {
    SecretMasker m = new SecretMasker();
    m.add("a\"b\\c");
    assertThat(m.mask("{\"password\": \"a\\\"b\\\\c\"}")).isEqualTo("{\"password\": \"***\"}");
  }

  @Test
  void masksBytesWithoutDecodingThem() {
    SecretMasker m = new SecretMasker();
    m.add("pä55");
    byte[] line = "x pä55 \u00ff pä55\n".getBytes(StandardCharsets.UTF_8);
    line[8] = (byte) 0xff; // a byte that is not UTF-8 stays as it is
    byte[] masked = m.mask(line, 2, line.length - 2);
    assertThat(masked).isNotNull();
    assertThat(new String(masked, StandardCharsets.ISO_8859_1))
        .startsWith("*** ")
        .endsWith(" ***\n");
    assertThat(m.mask("no secret".getBytes(StandardCharsets.UTF_8), 0, 9)).isNull();
  }
}
