package io.updraft.state;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TransitionsTest {
  @Test
  void rejectsDuplicateRowsAndSelfChanges() {
    assertThatThrownBy(
            () ->
                Transitions.builder(DagRunState.class, "x", DagRunState::id)
                    .allow(DagRunState.QUEUED, DagRunState.RUNNING, "a")
                    .allow(DagRunState.QUEUED, DagRunState.RUNNING, "b")
                    .build())
        .hasMessageContaining("Duplicate row queued -> running");
    assertThatThrownBy(
            () ->
                Transitions.builder(DagRunState.class, "x", DagRunState::id)
                    .allow(DagRunState.QUEUED, DagRunState.QUEUED, "a")
                    .build())
        .hasMessageContaining("queued -> queued");
  }
}
