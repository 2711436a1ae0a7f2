package io.updraft.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PoolTest {
  @Test
  void rejectsBadValues() {
    assertThatThrownBy(() -> new Pool(" ", 1, null, false))
        .isInstanceOf(InvalidPoolException.class)
        .hasMessage("a pool needs a name");
    assertThatThrownBy(() -> new Pool("p", -2, null, false))
        .hasMessage("pool 'p' has -2 slots: use 0 or more, or -1 for unlimited");
    assertThatThrownBy(() -> new Pool("x".repeat(257), 1, null, false))
        .hasMessageContaining("is 257 characters long: at most 256");
  }
}
