package io.updraft.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Walks life stories of a task instance through the table. {@link #everyRowWasExercised} fails if a
 * row of the table is walked by no story: a row nobody can explain with a story should go.
 */
class TaskInstanceTransitionsTest {

  private static final Set<String> walked = new HashSet<>();

  /** Each story: a name and the states a task instance passes through, as Airflow ids. */
  static Stream<Arguments> stories() {
    return Stream.of(
        story("happy path", "none scheduled queued running success"),
        story("empty operator needs no worker", "none success"),
        story("upstream failed", "none upstream_failed"),
        story("skipped by trigger rule", "none skipped"),
        story(
            "retry after failure",
            "none scheduled queued running up_for_retry scheduled queued running failed"),
        story("retry that succeeded then empty retry", "up_for_retry success"),
        story("sensor in reschedule mode", "running up_for_reschedule scheduled queued running"),
        story("reschedule then empty", "up_for_reschedule success"),
        story("deferral resumes", "running deferred scheduled queued running success"),
        story("trigger ends task", "running deferred success"),
        story("trigger fails task", "deferred failed"),
        story("trigger skips task", "deferred skipped"),
        story(
            "defer-mode sensor, retried after its checks kept erroring",
            "none scheduled deferred up_for_retry scheduled deferred success"),
        story("task asks to be skipped", "running skipped"),
        story("zombie with retry", "running up_for_retry"),
        story("worker died while queued, retry left", "queued up_for_retry"),
        story("worker died while queued, no retry", "queued failed"),
        story("stuck in queued", "scheduled queued scheduled"),
        story("limits reached at start", "queued none"),
        story("orphan reset", "running none"),
        story("clear while running", "running restarting up_for_retry scheduled"),
        story("clear twice", "restarting none"),
        story("mark restarting", "restarting success"),
        story("mark restarting failed", "restarting failed"),
        story("run timeout restarting", "restarting skipped"),
        story("clear finished", "success none"),
        story("user marks a success failed", "success failed"),
        story("clear failed", "failed none"),
        story("clear skipped", "skipped none"),
        story("clear upstream_failed", "upstream_failed none"),
        story("clear up_for_retry", "up_for_retry none"),
        story("clear up_for_reschedule", "up_for_reschedule none"),
        story("clear deferred", "deferred none"),
        story("clear scheduled", "scheduled none"),
        story("upstream cleared and failed again", "up_for_retry upstream_failed"),
        story("upstream cleared, reschedule", "up_for_reschedule upstream_failed"),
        story("upstream cleared then skipped", "up_for_retry skipped"),
        story("upstream cleared then skipped 2", "up_for_reschedule skipped"),
        story("user marks everything", "none failed success skipped failed skipped success"),
        story("user marks upstream_failed", "upstream_failed success"),
        story("user marks upstream_failed failed", "upstream_failed failed"),
        story("user marks upstream_failed skipped", "upstream_failed skipped"),
        story("user marks scheduled", "scheduled success"),
        story("user marks scheduled failed", "scheduled failed"),
        story("run timeout scheduled", "scheduled skipped"),
        story("user marks queued", "queued success"),
        story("run timeout queued", "queued skipped"),
        story("user marks running failed", "running failed"),
        story("user marks retry failed", "up_for_retry failed"),
        story("user marks reschedule failed", "up_for_reschedule failed"),
        story("task deleted and restored", "none removed none"),
        story("deleted while scheduled", "scheduled removed"),
        story("deleted while queued", "queued removed"),
        story("deleted while running", "running removed"),
        story("deleted after success", "success removed"),
        story("deleted after failure", "failed removed"),
        story("deleted after skip", "skipped removed"),
        story("deleted after upstream_failed", "upstream_failed removed"),
        story("deleted during retry", "up_for_retry removed"),
        story("deleted during reschedule", "up_for_reschedule removed"),
        story("deleted while deferred", "deferred removed"),
        story("deleted while restarting", "restarting removed"));
  }

  private static Arguments story(String name, String path) {
    return Arguments.of(name, path);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stories")
  void storyIsLegal(String name, String path) {
    List<TaskInstanceState> states =
        Arrays.stream(path.split(" "))
            .map(id -> TaskInstanceState.fromId(id).orElseThrow())
            .toList();
    for (int i = 1; i < states.size(); i++) {
      TaskInstanceState from = states.get(i - 1);
      TaskInstanceState to = states.get(i);
      TaskInstanceTransitions.check(from, to, "story '" + name + "'");
      walked.add(from.id() + " -> " + to.id());
    }
  }

  @AfterAll
  static void everyRowWasExercised() {
    Set<String> rows = new TreeSet<>();
    for (var t : TaskInstanceTransitions.TABLE.rows()) {
      rows.add(t.from().id() + " -> " + t.to().id());
    }
    Set<String> notWalked = new TreeSet<>(rows);
    notWalked.removeAll(walked);
    assertThat(notWalked).as("rows of the table that no story walks").isEmpty();
  }

  /** The expected table, written out by hand: from -> allowed targets. */
  private static final Map<TaskInstanceState, String> EXPECTED =
      Map.ofEntries(
          Map.entry(
              TaskInstanceState.NONE, "scheduled upstream_failed skipped success failed removed"),
          Map.entry(
              TaskInstanceState.SCHEDULED, "queued deferred none success failed skipped removed"),
          Map.entry(
              TaskInstanceState.QUEUED,
              "running scheduled none failed up_for_retry success skipped removed"),
          Map.entry(
              TaskInstanceState.RUNNING,
              "success failed up_for_retry skipped up_for_reschedule deferred restarting none"
                  + " removed"),
          Map.entry(
              TaskInstanceState.UP_FOR_RETRY,
              "scheduled upstream_failed skipped success failed none removed"),
          Map.entry(
              TaskInstanceState.UP_FOR_RESCHEDULE,
              "scheduled upstream_failed skipped success failed none removed"),
          Map.entry(
              TaskInstanceState.DEFERRED,
              "scheduled success failed skipped up_for_retry none removed"),
          Map.entry(
              TaskInstanceState.RESTARTING, "up_for_retry none success failed skipped removed"),
          Map.entry(TaskInstanceState.SUCCESS, "none failed skipped removed"),
          Map.entry(TaskInstanceState.FAILED, "none success skipped removed"),
          Map.entry(TaskInstanceState.SKIPPED, "none success failed removed"),
          Map.entry(TaskInstanceState.UPSTREAM_FAILED, "none success failed skipped removed"),
          Map.entry(TaskInstanceState.REMOVED, "none"));

  @Test
  void tableIsExactlyTheExpectedOne() {
    assertThat(EXPECTED).hasSize(TaskInstanceState.values().length);
    for (TaskInstanceState from : TaskInstanceState.values()) {
      Set<TaskInstanceState> expected = new HashSet<>();
      for (String id : EXPECTED.get(from).split(" ")) {
        expected.add(TaskInstanceState.fromId(id).orElseThrow());
      }
      assertThat(TaskInstanceTransitions.TABLE.targets(from))
          .as("from " + from.id())
          .isEqualTo(expected);
    }
  }

  static Stream<Arguments> illegalPairs() {
    List<Arguments> out = new ArrayList<>();
    for (TaskInstanceState from : TaskInstanceState.values()) {
      for (TaskInstanceState to : TaskInstanceState.values()) {
        if (!TaskInstanceTransitions.isAllowed(from, to)) {
          out.add(Arguments.of(from, to));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("illegalPairs")
  void everyPairNotInTheTableThrows(TaskInstanceState from, TaskInstanceState to) {
    assertThatThrownBy(() -> TaskInstanceTransitions.check(from, to, "ti d.r.t"))
        .isInstanceOf(IllegalTransitionException.class)
        .hasMessageContaining(from.id() + " -> " + to.id())
        .hasMessageContaining("ti d.r.t")
        .hasMessageNotContaining("\n");
  }

  @Test
  void illegalPairsIncludeTheObviousBugsAndSelfChanges() {
    // 13 x 13 pairs, 75 rows: the rest, including the 13 self-changes, are illegal.
    assertThat(illegalPairs().count()).isEqualTo(169 - 75);
    assertThat(
            TaskInstanceTransitions.isAllowed(TaskInstanceState.SUCCESS, TaskInstanceState.RUNNING))
        .isFalse();
    assertThat(TaskInstanceTransitions.isAllowed(TaskInstanceState.NONE, TaskInstanceState.RUNNING))
        .isFalse();
    assertThat(
            TaskInstanceTransitions.isAllowed(TaskInstanceState.RUNNING, TaskInstanceState.RUNNING))
        .isFalse();
    assertThat(
            TaskInstanceTransitions.TABLE.why(TaskInstanceState.NONE, TaskInstanceState.SCHEDULED))
        .hasValueSatisfying(w -> assertThat(w).contains("scheduler"));
  }

  @Test
  void finishedAndUnfinishedAreAirflows() {
    assertThat(TaskInstanceState.finished())
        .containsExactlyInAnyOrder(
            TaskInstanceState.SUCCESS,
            TaskInstanceState.FAILED,
            TaskInstanceState.SKIPPED,
            TaskInstanceState.UPSTREAM_FAILED,
            TaskInstanceState.REMOVED);
    assertThat(TaskInstanceState.unfinished())
        .containsExactlyInAnyOrder(
            TaskInstanceState.NONE,
            TaskInstanceState.SCHEDULED,
            TaskInstanceState.QUEUED,
            TaskInstanceState.RUNNING,
            TaskInstanceState.UP_FOR_RETRY,
            TaskInstanceState.UP_FOR_RESCHEDULE,
            TaskInstanceState.DEFERRED,
            TaskInstanceState.RESTARTING);
  }

  @Test
  void idsRoundTripAndNullIsNone() {
    for (TaskInstanceState s : TaskInstanceState.values()) {
      assertThat(TaskInstanceState.fromId(s.id())).contains(s);
    }
    assertThat(TaskInstanceState.UP_FOR_RETRY.id()).isEqualTo("up_for_retry");
    assertThat(TaskInstanceState.fromId(null)).contains(TaskInstanceState.NONE);
    assertThat(TaskInstanceState.fromId("bogus")).isEmpty();
  }
}
