package io.updraft.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.state.DagRunState;
import org.junit.jupiter.api.Test;

abstract class XComRepositoryContractTest extends RepositoryContractTest {
  XComRepository xcoms() {
    return new XComRepository(db);
  }

  @Test
  void putGetReplaceAndClear() {
    long runId = run("d", "r", DagRunState.RUNNING, 0);
    xcoms().put(runId, "d", "r", "t", XComRepository.RETURN_VALUE, "{\"a\":1}", T0);
    xcoms().put(runId, "d", "r", "t", "other", "[1,2]", T0);
    xcoms().put(runId, "d", "r", "u", XComRepository.RETURN_VALUE, "\"u\"", T0);
    xcoms().put(runId, "d", "r", "t", 3, XComRepository.RETURN_VALUE, "3", T0);

    assertThat(xcoms().get("d", "r", "t", XComRepository.RETURN_VALUE)).contains("{\"a\":1}");
    assertThat(xcoms().get("d", "r", "t", 3, XComRepository.RETURN_VALUE)).contains("3");
    assertThat(xcoms().get("d", "r", "t", "missing")).isEmpty();

    xcoms().put(runId, "d", "r", "t", XComRepository.RETURN_VALUE, "null", T0.plusSeconds(1));
    assertThat(xcoms().get("d", "r", "t", XComRepository.RETURN_VALUE)).contains("null");
    assertThat(xcoms().keys("d", "r", "t", -1)).containsExactly("other", "return_value");

    assertThat(xcoms().clearForTask("d", "r", "t")).isEqualTo(2);
    assertThat(xcoms().keys("d", "r", "t", -1)).isEmpty();
    assertThat(xcoms().get("d", "r", "u", XComRepository.RETURN_VALUE)).contains("\"u\"");
    assertThat(xcoms().get("d", "r", "t", 3, XComRepository.RETURN_VALUE)).contains("3");
  }

  @Test
  void putAllStoresAndReplacesSeveralValuesInOneBatch() {
    long runId = run("d", "r", DagRunState.RUNNING, 0);
    xcoms().put(runId, "d", "r", "t", XComRepository.RETURN_VALUE, "\"old\"", T0);
    xcoms()
        .putAll(
            java.util.List.of(
                new XComRepository.Value(
                    runId, "d", "r", "t", -1, XComRepository.RETURN_VALUE, "1"),
                new XComRepository.Value(
                    runId, "d", "r", "u", -1, XComRepository.RETURN_VALUE, "2")),
            T0.plusSeconds(1));
    assertThat(xcoms().get("d", "r", "t", XComRepository.RETURN_VALUE)).contains("1");
    assertThat(xcoms().get("d", "r", "u", XComRepository.RETURN_VALUE)).contains("2");
    xcoms().putAll(java.util.List.of(), T0);
    assertThat(xcoms().keys("d", "r", "t", -1)).containsExactly("return_value");
  }

  @Test
  void keysAreCaseSensitiveAndValuesMayBeLarge() {
    long runId = run("d", "r", DagRunState.RUNNING, 0);
    String big = "\"" + "x€".repeat(200_000) + "\"";
    xcoms().put(runId, "d", "r", "t", "Key", big, T0);
    xcoms().put(runId, "d", "r", "t", "key", "1", T0);
    assertThat(xcoms().get("d", "r", "t", "Key")).contains(big);
    assertThat(xcoms().get("d", "r", "t", "key")).contains("1");
  }

  /**
   * A return value of the default {@code core.max_xcom_size} (1 MiB of JSON, multi-byte characters
   * included) is stored and read back whole on every database (issue 10: nothing cut silently).
   */
  @Test
  void aValueOfTheDefaultSizeLimitRoundTripsWhole() {
    long runId = run("d", "r", DagRunState.RUNNING, 0);
    int limit = io.updraft.worker.RunnerSettings.DEFAULT_MAX_XCOM_SIZE;
    StringBuilder json = new StringBuilder("\"");
    String mix = "x\u00e9\u20ac\ud83d\ude00"; // 1 + 2 + 3 + 4 bytes of UTF-8
    while (json.length() * 4L + 20 < limit) { // stay clear of the end, then pad exactly
      json.append(mix);
    }
    int bytes = json.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1;
    json.append("y".repeat(limit - bytes)).append('"');
    String value = json.toString();
    assertThat(value.getBytes(java.nio.charset.StandardCharsets.UTF_8)).hasSize(limit);

    xcoms().put(runId, "d", "r", "t", XComRepository.RETURN_VALUE, value, T0);
    String back = xcoms().get("d", "r", "t", XComRepository.RETURN_VALUE).orElseThrow();
    assertThat(back.length()).isEqualTo(value.length());
    assertThat(back).isEqualTo(value);
  }
}
