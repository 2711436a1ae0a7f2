package io.updraft.scheduler;

import static io.updraft.state.TaskInstanceState.FAILED;
import static io.updraft.state.TaskInstanceState.NONE;
import static io.updraft.state.TaskInstanceState.QUEUED;
import static io.updraft.state.TaskInstanceState.REMOVED;
import static io.updraft.state.TaskInstanceState.RUNNING;
import static io.updraft.state.TaskInstanceState.SCHEDULED;
import static io.updraft.state.TaskInstanceState.SKIPPED;
import static io.updraft.state.TaskInstanceState.SUCCESS;
import static io.updraft.state.TaskInstanceState.UPSTREAM_FAILED;
import static io.updraft.state.TaskInstanceState.UP_FOR_RETRY;
import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.dag.Dag;
import io.updraft.dag.Task;
import io.updraft.dag.TriggerRule;
import io.updraft.rules.PastFacts;
import io.updraft.rules.PastRun;
import io.updraft.sdk.DagBuilder;
import io.updraft.sdk.Dags;
import io.updraft.sdk.TaskBuilder;
import io.updraft.sdk.Tasks;
import io.updraft.state.DagRunState;
import io.updraft.state.TaskInstanceState;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class RunDecisionsTest {
  private static final Instant NOW = Instant.parse("2024-01-02T00:00:00Z");
  private static final Function<Task, PastFacts> FIRST_RUN = t -> PastFacts.firstRun(false);

  /**
   * A DAG from "id<-up1,up2:operator:rule" specs; operator defaults to shell, rule to all_success.
   */
  private static Dag dag(Duration timeout, String... specs) {
    DagBuilder dag = Dags.dag("d").startDate("2024-01-01").dagrunTimeout(timeout);
    for (String spec : specs) {
      String[] parts = spec.split(":");
      String[] idAndUp = parts[0].split("<-");
      String operator = parts.length > 1 && !parts[1].isEmpty() ? parts[1] : "shell";
      TaskBuilder task =
          operator.equals("shell")
              ? Tasks.shell(idAndUp[0], "true")
              : Tasks.task(idAndUp[0], operator);
      if (idAndUp.length > 1) {
        task.upstream(idAndUp[1].split(","));
      }
      if (parts.length > 2) {
        task.triggerRule(parts[2]);
      }
      dag.task(task);
    }
    return dag.build();
  }

  private static Dag dag(String... specs) {
    return dag(null, specs);
  }

  private static Map<String, TaskInstanceView> tis(Object... idAndState) {
    Map<String, TaskInstanceView> map = new LinkedHashMap<>();
    for (int i = 0; i < idAndState.length; i += 2) {
      String id = (String) idAndState[i];
      map.put(id, new TaskInstanceView(id, (TaskInstanceState) idAndState[i + 1], null));
    }
    return map;
  }

  private static RunDecision decide(Dag dag, Map<String, TaskInstanceView> tis) {
    return RunDecisions.decide(dag, NOW.minusSeconds(60), tis, NOW, FIRST_RUN);
  }

  /** The changes as "task:from>to" strings, in decision order. */
  private static List<String> changes(RunDecision d) {
    return d.changes().stream()
        .map(c -> c.taskId() + ":" + c.from().id() + ">" + c.to().id())
        .toList();
  }

  @Test
  void rootsAreScheduledAndTheirDownstreamWaits() {
    RunDecision d = decide(dag("a", "b<-a"), tis("a", NONE, "b", NONE));
    assertThat(changes(d)).containsExactly("a:none>scheduled");
    assertThat(d.runState()).isNull();
  }

  @Test
  void aSuccessSchedulesTheDownstream() {
    RunDecision d = decide(dag("a", "b<-a"), tis("a", SUCCESS, "b", NONE));
    assertThat(changes(d)).containsExactly("b:none>scheduled");
  }

  @Test
  void aFailurePropagatesThroughTheWholeChainInOnePass() {
    RunDecision d = decide(dag("a", "b<-a", "c<-b"), tis("a", FAILED, "b", NONE, "c", NONE));
    assertThat(changes(d)).containsExactly("b:none>upstream_failed", "c:none>upstream_failed");
    assertThat(d.runState()).isEqualTo(DagRunState.FAILED);
  }

  @Test
  void aSkipPropagatesAndTheRunSucceeds() {
    RunDecision d = decide(dag("a", "b<-a", "c<-b"), tis("a", SKIPPED, "b", NONE, "c", NONE));
    assertThat(changes(d)).containsExactly("b:none>skipped", "c:none>skipped");
    assertThat(d.runState()).isEqualTo(DagRunState.SUCCESS);
  }

  @Test
  void emptyTasksSucceedWithoutAWorkerAndUnblockTheirDownstreamAtOnce() {
    RunDecision d =
        decide(
            dag("start::", "mid<-start:empty", "work<-mid"),
            tis("start", NONE, "mid", NONE, "work", NONE));
    assertThat(changes(d)).containsExactly("start:none>scheduled");
    RunDecision d2 =
        decide(
            dag("start:empty", "mid<-start:empty", "work<-mid"),
            tis("start", NONE, "mid", NONE, "work", NONE));
    assertThat(changes(d2))
        .containsExactly("start:none>success", "mid:none>success", "work:none>scheduled");
  }

  @Test
  void anAllEmptyDagFinishesInOnePass() {
    RunDecision d = decide(dag("a:empty", "b<-a:empty"), tis("a", NONE, "b", NONE));
    assertThat(changes(d)).containsExactly("a:none>success", "b:none>success");
    assertThat(d.runState()).isEqualTo(DagRunState.SUCCESS);
  }

  @Test
  void aCleanupTaskRunsOnFailureAndTheRunStillFails() {
    Dag dag = dag("load", "alert<-load::one_failed", "report<-load");
    RunDecision d = decide(dag, tis("load", FAILED, "alert", NONE, "report", NONE));
    assertThat(changes(d)).containsExactly("alert:none>scheduled", "report:none>upstream_failed");
    assertThat(d.runState()).isNull();
    RunDecision done =
        decide(dag, tis("load", FAILED, "alert", SUCCESS, "report", UPSTREAM_FAILED));
    assertThat(done.runState()).isEqualTo(DagRunState.FAILED);
  }

  @Test
  void anAllDoneLeafMakesTheRunSucceedDespiteAnEarlierFailure() {
    RunDecision d = decide(dag("a", "b<-a::all_done"), tis("a", FAILED, "b", SUCCESS));
    assertThat(d.changes()).isEmpty();
    assertThat(d.runState()).isEqualTo(DagRunState.SUCCESS);
  }

  @Test
  void unfinishedWorkKeepsTheRunRunning() {
    for (TaskInstanceState active : List.of(SCHEDULED, QUEUED, RUNNING)) {
      RunDecision d = decide(dag("a", "b<-a"), tis("a", active, "b", NONE));
      assertThat(d.changes()).as(active.id()).isEmpty();
      assertThat(d.runState()).as(active.id()).isNull();
    }
  }

  @Test
  void aRetryWaitsForItsDelayThenIsScheduled() {
    Dag dag = dag("a");
    Instant retryAt = NOW.plusSeconds(30);
    Map<String, TaskInstanceView> waiting =
        Map.of("a", new TaskInstanceView("a", UP_FOR_RETRY, retryAt));
    RunDecision d = decide(dag, waiting);
    assertThat(d.changes()).isEmpty();
    assertThat(d.runState()).isNull();
    assertThat(d.nextCheckAt()).isEqualTo(retryAt);
    Map<String, TaskInstanceView> due =
        Map.of("a", new TaskInstanceView("a", UP_FOR_RETRY, NOW.minusMillis(1)));
    assertThat(changes(decide(dag, due))).containsExactly("a:up_for_retry>scheduled");
  }

  @Test
  void dependsOnPastHoldsATaskWithoutDeadlockingTheRun() {
    Dag dag =
        Dags.dag("d")
            .startDate("2024-01-01")
            .task(Tasks.shell("a", "true").dependsOnPast(true))
            .build();
    PastRun previousFailed = new PastRun(NOW.minus(Duration.ofDays(1)), FAILED, List.of());
    Function<Task, PastFacts> past = t -> new PastFacts(false, null, previousFailed, true);
    RunDecision d = RunDecisions.decide(dag, NOW, tis("a", NONE), NOW, past);
    assertThat(d.changes()).isEmpty();
    assertThat(d.runState()).isNull();
    PastRun previousOk = new PastRun(NOW.minus(Duration.ofDays(1)), SUCCESS, List.of());
    RunDecision ok =
        RunDecisions.decide(
            dag, NOW, tis("a", NONE), NOW, t -> new PastFacts(false, null, previousOk, true));
    assertThat(changes(ok)).containsExactly("a:none>scheduled");
  }

  @Test
  void aRunThatCanNeverProgressIsDeadlockedAndFails() {
    // A removed upstream is done but never a success: all_success can never be met (Airflow).
    RunDecision d = decide(dag("a", "b<-a"), tis("a", REMOVED, "b", NONE));
    assertThat(d.changes()).isEmpty();
    assertThat(d.runState()).isEqualTo(DagRunState.FAILED);
    assertThat(d.reason()).contains("deadlock");
  }

  @Test
  void aTimedOutRunSkipsItsUnfinishedTasksAndFails() {
    Dag dag = dag(Duration.ofMinutes(10), "a", "b<-a", "c<-b", "d");
    Map<String, TaskInstanceView> tis = tis("a", SUCCESS, "b", RUNNING, "c", NONE, "d", QUEUED);
    RunDecision notYet = RunDecisions.decide(dag, NOW.minusSeconds(599), tis, NOW, FIRST_RUN);
    assertThat(notYet.runState()).isNull();
    assertThat(notYet.nextCheckAt()).isEqualTo(NOW.plusSeconds(1));
    RunDecision d = RunDecisions.decide(dag, NOW.minusSeconds(600), tis, NOW, FIRST_RUN);
    assertThat(changes(d))
        .containsExactlyInAnyOrder("b:running>skipped", "c:none>skipped", "d:queued>skipped");
    assertThat(d.runState()).isEqualTo(DagRunState.FAILED);
    assertThat(d.reason()).contains("dagrun_timeout");
  }

  @Test
  void finishedRunsAndMissingInstancesAreHandled() {
    RunDecision all = decide(dag("a", "b<-a"), tis("a", SUCCESS, "b", SUCCESS));
    assertThat(all.changes()).isEmpty();
    assertThat(all.runState()).isEqualTo(DagRunState.SUCCESS);
    // A task without an instance (none created yet) counts as none.
    RunDecision missing = decide(dag("a", "b<-a"), tis("a", SUCCESS));
    assertThat(changes(missing)).containsExactly("b:none>scheduled");
  }

  @Test
  void everyTriggerRuleDecisionIsALegalTransition() {
    // Fan-in of three upstream tasks in every final state combination, for every rule: the
    // decider must only ever produce transitions the table allows (it checks, and would throw).
    List<TaskInstanceState> finals = List.of(SUCCESS, FAILED, SKIPPED, UPSTREAM_FAILED);
    for (TriggerRule rule : TriggerRule.values()) {
      for (TaskInstanceState s1 : finals) {
        for (TaskInstanceState s2 : finals) {
          Dag dag = dag("x", "y", "z<-x,y::" + rule.id());
          RunDecision d = decide(dag, tis("x", s1, "y", s2, "z", NONE));
          assertThat(d.changes()).hasSizeLessThanOrEqualTo(1);
        }
      }
    }
  }
}
