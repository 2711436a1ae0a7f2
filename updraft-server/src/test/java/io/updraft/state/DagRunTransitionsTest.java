package io.updraft.state;

import static io.updraft.state.DagRunState.FAILED;
import static io.updraft.state.DagRunState.QUEUED;
import static io.updraft.state.DagRunState.RUNNING;
import static io.updraft.state.DagRunState.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DagRunTransitionsTest {

  private static final List<List<DagRunState>> STORIES =
      List.of(
          List.of(QUEUED, RUNNING, SUCCESS, QUEUED, RUNNING, FAILED, QUEUED), // run, clear, clear
          List.of(QUEUED, SUCCESS, FAILED, SUCCESS), // marks
          List.of(QUEUED, FAILED), // mark
          List.of(RUNNING, QUEUED)); // clear while running

  @Test
  void storiesAreLegalAndWalkEveryRow() {
    Set<String> walked = new HashSet<>();
    for (List<DagRunState> story : STORIES) {
      for (int i = 1; i < story.size(); i++) {
        DagRunTransitions.check(story.get(i - 1), story.get(i), "dag_id=d run_id=r");
        walked.add(story.get(i - 1) + "->" + story.get(i));
      }
    }
    Set<String> rows = new HashSet<>();
    DagRunTransitions.TABLE.rows().forEach(t -> rows.add(t.from() + "->" + t.to()));
    assertThat(walked).isEqualTo(rows);
  }

  @Test
  void theRestIsIllegal() {
    Set<String> illegal = new HashSet<>();
    for (DagRunState from : DagRunState.values()) {
      for (DagRunState to : DagRunState.values()) {
        if (!DagRunTransitions.isAllowed(from, to)) {
          illegal.add(from.id() + " -> " + to.id());
          assertThatThrownBy(() -> DagRunTransitions.check(from, to, "dag_id=d run_id=r"))
              .isInstanceOf(IllegalTransitionException.class)
              .hasMessageContaining(from.id() + " -> " + to.id())
              .hasMessageContaining("dag_id=d run_id=r");
        }
      }
    }
    assertThat(illegal)
        .containsExactlyInAnyOrder(
            "queued -> queued",
            "running -> running",
            "success -> success",
            "failed -> failed",
            "success -> running",
            "failed -> running");
  }

  @Test
  void finishedStates() {
    assertThat(DagRunState.finished()).containsExactlyInAnyOrder(SUCCESS, FAILED);
    assertThat(DagRunState.unfinished()).containsExactlyInAnyOrder(QUEUED, RUNNING);
    assertThat(DagRunState.fromId("running")).contains(RUNNING);
  }
}
