package io.updraft.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.dag.Task;
import io.updraft.state.TaskInstanceState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DependsOnPastTest {

  private static final Instant PREV = Instant.parse("2024-01-01T00:00:00Z");
  private static final Instant BEFORE_PREV = Instant.parse("2023-06-01T00:00:00Z");
  private static final Instant AFTER_PREV = Instant.parse("2024-01-01T12:00:00Z");

  static Task task(boolean dependsOnPast, boolean waitForDownstream) {
    Task t = Task.of("t", "empty", Map.of());
    return new Task(
        t.taskId(),
        t.operator(),
        t.args(),
        t.upstream(),
        t.triggerRule(),
        t.retries(),
        t.retryDelay(),
        t.retryExponentialBackoff(),
        t.maxRetryDelay(),
        t.executionTimeout(),
        t.pool(),
        t.poolSlots(),
        t.priorityWeight(),
        t.weightRule(),
        t.queue(),
        t.maxActiveTisPerDag(),
        dependsOnPast,
        waitForDownstream,
        t.startDate(),
        t.endDate(),
        t.env(),
        t.owner(),
        t.doc());
  }

  @Test
  void truthTable() {
    List<TaskInstanceState> prevStates = new ArrayList<>();
    prevStates.add(null);
    prevStates.addAll(List.of(TaskInstanceState.values()));
    List<List<TaskInstanceState>> downstreams =
        List.of(
            List.of(),
            List.of(TaskInstanceState.SUCCESS, TaskInstanceState.SKIPPED),
            List.of(TaskInstanceState.SUCCESS, TaskInstanceState.RUNNING),
            List.of(TaskInstanceState.NONE),
            List.of(TaskInstanceState.FAILED));
    int cases = 0;
    for (boolean dop : new boolean[] {false, true}) {
      for (boolean wfd : new boolean[] {false, true}) {
        Task task = task(dop, wfd);
        for (boolean hasPrev : new boolean[] {false, true}) {
          for (boolean catchup : new boolean[] {false, true}) {
            for (Instant start : new Instant[] {null, BEFORE_PREV, AFTER_PREV}) {
              for (TaskInstanceState prevState : prevStates) {
                for (boolean ranBefore : new boolean[] {false, true}) {
                  for (List<TaskInstanceState> down : downstreams) {
                    PastRun prev = hasPrev ? new PastRun(PREV, prevState, down) : null;
                    PastFacts facts = new PastFacts(catchup, start, prev, ranBefore);
                    boolean expected =
                        oracle(
                            dop || wfd, wfd, hasPrev, catchup, start, prevState, ranBefore, down);
                    assertThat(DependsOnPast.evaluate(task, facts).met())
                        .as("dop=%s wfd=%s facts=%s", dop, wfd, facts)
                        .isEqualTo(expected);
                    cases++;
                  }
                }
              }
            }
          }
        }
      }
    }
    assertThat(cases).isEqualTo(4 * 2 * 2 * 3 * 14 * 2 * 5);
  }

  /** Airflow's rules, stated as "when is it blocked". */
  private static boolean oracle(
      boolean dependsOnPast,
      boolean waitForDownstream,
      boolean hasPrev,
      boolean catchup,
      Instant start,
      TaskInstanceState prevState,
      boolean ranBefore,
      List<TaskInstanceState> down) {
    boolean taskIsNewerThanPrevRun = catchup && start != null && start.isAfter(PREV);
    if (!dependsOnPast || !hasPrev || taskIsNewerThanPrevRun) {
      return true;
    }
    if (prevState == null) {
      return !ranBefore;
    }
    boolean prevOk =
        prevState == TaskInstanceState.SUCCESS || prevState == TaskInstanceState.SKIPPED;
    boolean downOk =
        down.stream()
            .allMatch(s -> s == TaskInstanceState.SUCCESS || s == TaskInstanceState.SKIPPED);
    return prevOk && (!waitForDownstream || downOk);
  }

  @Test
  void namedCases() {
    Task dop = task(true, false);
    assertThat(DependsOnPast.evaluate(dop, PastFacts.firstRun(true)).met()).isTrue();
    PastDependency failedBefore =
        DependsOnPast.evaluate(
            dop,
            new PastFacts(false, null, new PastRun(PREV, TaskInstanceState.FAILED, null), true));
    assertThat(failedBefore.met()).isFalse();
    assertThat(failedBefore.reason()).contains("'failed'");
    // a task added to the DAG later: no instance in the previous run, none ever before
    assertThat(
            DependsOnPast.evaluate(
                    dop, new PastFacts(false, null, new PastRun(PREV, null, null), false))
                .met())
        .isTrue();
    // the task skipped a run in between (e.g. its start_date is later, catchup off)
    assertThat(
            DependsOnPast.evaluate(
                    dop, new PastFacts(false, null, new PastRun(PREV, null, null), true))
                .met())
        .isFalse();
    // waiting for downstream implies depending on past (Task normalises it)
    Task wfd = task(false, true);
    assertThat(wfd.dependsOnPast()).isTrue();
    PastDependency downstreamRunning =
        DependsOnPast.evaluate(
            wfd,
            new PastFacts(
                false,
                null,
                new PastRun(PREV, TaskInstanceState.SUCCESS, List.of(TaskInstanceState.RUNNING)),
                true));
    assertThat(downstreamRunning.met()).isFalse();
    assertThat(downstreamRunning.reason()).contains("wait_for_downstream");
  }
}
