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
  void keysAreCaseSensitiveAndValuesMayBeLarge() {
    long runId = run("d", "r", DagRunState.RUNNING, 0);
    String big = "\"" + "x€".repeat(200_000) + "\"";
    xcoms().put(runId, "d", "r", "t", "Key", big, T0);
    xcoms().put(runId, "d", "r", "t", "key", "1", T0);
    assertThat(xcoms().get("d", "r", "t", "Key")).contains(big);
    assertThat(xcoms().get("d", "r", "t", "key")).contains("1");
  }
}
