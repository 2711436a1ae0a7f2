package io.updraft.connections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Fernet} against the Fernet specification's test vectors (github.com/fernet/spec:
 * generate.json, verify.json, invalid.json) and a token made by Python's {@code cryptography}, as
 * Airflow stores a password.
 */
class FernetTest {
  private static final String SPEC_KEY = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=";
  private static final String SPEC_TOKEN =
      "gAAAAAAdwJ6wAAECAwQFBgcICQoLDA0ODy021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA==";

  @Test
  void generatesTheSpecificationsToken() {
    byte[] iv = new byte[16];
    for (int i = 0; i < 16; i++) {
      iv[i] = (byte) i;
    }
    String token =
        Fernet.of(SPEC_KEY)
            .encrypt(
                "hello".getBytes(StandardCharsets.UTF_8),
                OffsetDateTime.parse("1985-10-26T01:20:00-07:00").toInstant(),
                iv);
    assertThat(token).isEqualTo(SPEC_TOKEN);
  }

  @Test
  void verifiesTheSpecificationsToken() {
    assertThat(new String(Fernet.of(SPEC_KEY).decrypt(SPEC_TOKEN), StandardCharsets.UTF_8))
        .isEqualTo("hello");
  }

  @Test
  void decryptsATokenMadeByPythonsCryptography() {
    // Fernet(SPEC_KEY).encrypt("pä$s:w0rd/@x".encode()) with cryptography 48: what Airflow writes.
    String python =
        "gAAAAABrFXjdHYjdxmJiAPSGpVLd7OtqTLkbJ6WNg0z_0zqaX8dc9BKmVtkAmO2YsQ473vrawa05Ebx1hv3nrpINLD4l5TP_9A==";
    assertThat(new String(Fernet.of(SPEC_KEY).decrypt(python), StandardCharsets.UTF_8))
        .isEqualTo("pä$s:w0rd/@x");
  }

  /** invalid.json, less its two TTL cases: Airflow (and Updraft) decrypt without a TTL. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "incorrect mac,"
        + " rn9hs9yS0GVWjk4hH822VIwQUWz-_WZWCLzsD7SgV2IAAAAAHcCesAABAgMEBQYHCAkKCwwNDg8tNtXKRlVimf3hMAhjOASy",
    "too short, 91GVdgz7jmWR6vJiViEA4u-LhVMhCSr87INSeFwwkYAAAAAAHcCesAABAgMEBQYHCAkKCw==",
    "invalid base64,"
        + " %%%%%%%%%%%j-ztUarjDIfllJBmLiBMjfcmZesHVIhcAAAAAHcCesAABAgMEBQYHCAkKCwwNDg8tNtXKRlVimf3hMAhjOASy",
    "payload size not multiple of block size,"
        + " r-pDJRzyfnW4rYfh-gZek3qA3lnFG8fGaf0qgmZlPL8AAAAAHcCesAABAgMEBQYHCAkKCwwNDg8tNtXKRlVimf3hMAhjOAQ=",
    "payload padding error,"
        + " ApoqRxzlU8Z9-mPSV6ufXeIgKugRjI_-ugnnqqoCTjQAAAAAHcCesAABAgMEBQYHCAkKCwwNDg91rx5fbHkRnpZBxpOuEAjd",
    "incorrect IV (causes padding error),"
        + " fe5sCHPyF13H837yvtc65xAlWfXXP3fEUX_jMiB74EwAAAAAHcCesHV0d3ZxcHNyfXx_fnl4e3otNtXKRlVimf3hMAhjOASy",
  })
  void refusesTheSpecificationsInvalidTokens(String desc, String token) {
    assertThatThrownBy(() -> Fernet.of(SPEC_KEY).decrypt(token))
        .isInstanceOf(Fernet.InvalidTokenException.class);
  }

  @Test
  void aTokenOfAnotherKeyIsRefused() {
    String token = Fernet.of(Fernet.generateKey()).encrypt("x".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> Fernet.of(SPEC_KEY).decrypt(token))
        .isInstanceOf(Fernet.InvalidTokenException.class)
        .hasMessage("the token was not made with this key");
  }

  @Test
  void roundTripsWithAGeneratedKey() {
    String key = Fernet.generateKey();
    assertThat(Base64.getUrlDecoder().decode(key)).hasSize(32);
    Fernet f = Fernet.of(key);
    assertThat(f.decrypt(f.encrypt("".getBytes(StandardCharsets.UTF_8)))).isEmpty();
    assertThat(
            new String(
                f.decrypt(f.encrypt("é€𝄞".getBytes(StandardCharsets.UTF_8))),
                StandardCharsets.UTF_8))
        .isEqualTo("é€𝄞");
  }

  @Test
  void aBadKeySaysWhyWithoutRepeatingIt() {
    assertThatThrownBy(() -> Fernet.of("c2hvcnQ="))
        .hasMessage(
            "a Fernet key must be 32 bytes in URL-safe base 64 (44 characters), not 5 bytes");
    assertThatThrownBy(() -> Fernet.of("not base64 at all!"))
        .hasMessage("a Fernet key must be URL-safe base 64");
  }
}
