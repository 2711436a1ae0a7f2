package io.updraft.dag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RunIdRuleTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "scheduled__2024-01-01T00:00:00+00:00",
        "backfill__2024-01-01T00:00:00.250000+00:00",
        "mine",
        "a~b:c+d-e.f_G9",
        ".."
      })
  void airflowsAllowedRunIdsPass(String id) {
    assertThat(RunIdRule.isValid(id)).isTrue();
    assertThat(RunIdRule.problem(id)).isEmpty();
    assertThat(RunIdRule.require(id)).isEqualTo(id);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "../../../../tmp/escape", "a/b", "a\\b", "with space", "é", "a\nb", "a;b"})
  void othersAreRefusedWithOneLineSayingWhatIsAllowed(String id) {
    assertThat(RunIdRule.isValid(id)).isFalse();
    assertThatThrownBy(() -> RunIdRule.require(id))
        .isInstanceOf(RunIdRule.InvalidRunIdException.class)
        .hasMessageContaining("is invalid: use 1 to 250 letters, digits, '_', '.', '~', ':'")
        .satisfies(e -> assertThat(e.getMessage().lines()).hasSize(1));
  }

  @org.junit.jupiter.api.Test
  void atMost250Characters() {
    assertThat(RunIdRule.isValid("r".repeat(250))).isTrue();
    assertThat(RunIdRule.problem("r".repeat(251))).get().asString().endsWith("shorten it");
    assertThat(RunIdRule.problem(null)).get().asString().endsWith("give one");
    assertThat(RunIdRule.problem("a b/c")).get().asString().endsWith("e.g. a_b_c");
  }
}
