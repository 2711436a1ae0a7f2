package io.updraft.rules;

import static io.updraft.rules.TriggerDecision.RUN;
import static io.updraft.rules.TriggerDecision.SKIPPED;
import static io.updraft.rules.TriggerDecision.UPSTREAM_FAILED;
import static io.updraft.rules.TriggerDecision.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.updraft.dag.TriggerRule;
import io.updraft.state.TaskInstanceState;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class TriggerRulesTest {

  /** What an upstream task instance can look like; running stands for every unfinished state. */
  private static final List<TaskInstanceState> DOMAIN =
      List.of(
          TaskInstanceState.RUNNING,
          TaskInstanceState.SUCCESS,
          TaskInstanceState.SKIPPED,
          TaskInstanceState.FAILED,
          TaskInstanceState.UPSTREAM_FAILED,
          TaskInstanceState.REMOVED);

  static Stream<Arguments> everyRuleAndUpstreamCombination() {
    List<List<TaskInstanceState>> combos = new ArrayList<>();
    combos.add(List.of());
    for (int n = 1; n <= 3; n++) {
      List<List<TaskInstanceState>> next = new ArrayList<>();
      for (List<TaskInstanceState> c : combos) {
        if (c.size() != n - 1) {
          continue;
        }
        for (TaskInstanceState s : DOMAIN) {
          List<TaskInstanceState> longer = new ArrayList<>(c);
          longer.add(s);
          next.add(longer);
        }
      }
      combos.addAll(next);
    }
    List<Arguments> out = new ArrayList<>();
    for (TriggerRule rule : TriggerRule.values()) {
      for (List<TaskInstanceState> c : combos) {
        out.add(Arguments.of(rule, c));
      }
    }
    return out.stream();
  }

  @Test
  void theTruthTableIsComplete() {
    // 11 rules x (1 + 6 + 36 + 216) upstream combinations.
    assertThat(everyRuleAndUpstreamCombination().count()).isEqualTo(11L * 259);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("everyRuleAndUpstreamCombination")
  void agreesWithTheOracle(TriggerRule rule, List<TaskInstanceState> upstream) {
    assertThat(TriggerRules.decide(rule, UpstreamStates.of(upstream)))
        .isEqualTo(oracle(rule, upstream));
  }

  /**
   * The rules as the Airflow documentation states them, written over the list of upstream states
   * rather than over counts so that it does not share the evaluator's arithmetic.
   */
  private static TriggerDecision oracle(TriggerRule rule, List<TaskInstanceState> ups) {
    if (ups.isEmpty() || rule == TriggerRule.ALWAYS) {
      return RUN;
    }
    boolean allFinished = ups.stream().allMatch(s -> s != TaskInstanceState.RUNNING);
    boolean anySuccess = ups.contains(TaskInstanceState.SUCCESS);
    boolean anySkipped = ups.contains(TaskInstanceState.SKIPPED);
    boolean anyFailure =
        ups.contains(TaskInstanceState.FAILED) || ups.contains(TaskInstanceState.UPSTREAM_FAILED);
    boolean allSuccess = ups.stream().allMatch(s -> s == TaskInstanceState.SUCCESS);
    boolean allSkipped = ups.stream().allMatch(s -> s == TaskInstanceState.SKIPPED);
    boolean allFailures =
        ups.stream()
            .allMatch(s -> s == TaskInstanceState.FAILED || s == TaskInstanceState.UPSTREAM_FAILED);
    boolean allSuccessOrSkipped =
        ups.stream()
            .allMatch(s -> s == TaskInstanceState.SUCCESS || s == TaskInstanceState.SKIPPED);
    return switch (rule) {
      case ALWAYS -> RUN;
      case ALL_SUCCESS ->
          anyFailure ? UPSTREAM_FAILED : anySkipped ? SKIPPED : allSuccess ? RUN : WAIT;
      case ALL_FAILED -> anySuccess || anySkipped ? SKIPPED : allFailures ? RUN : WAIT;
      case ALL_DONE -> allFinished ? RUN : WAIT;
      case ALL_SKIPPED -> anySuccess || anyFailure ? SKIPPED : allSkipped ? RUN : WAIT;
      case ONE_SUCCESS ->
          allFinished && allSkipped
              ? SKIPPED
              : allFinished && !anySuccess ? UPSTREAM_FAILED : anySuccess ? RUN : WAIT;
      case ONE_FAILED -> anyFailure ? RUN : allFinished ? SKIPPED : WAIT;
      case ONE_DONE ->
          anySuccess || ups.contains(TaskInstanceState.FAILED) ? RUN : allFinished ? SKIPPED : WAIT;
      case NONE_FAILED -> anyFailure ? UPSTREAM_FAILED : allSuccessOrSkipped ? RUN : WAIT;
      case NONE_FAILED_MIN_ONE_SUCCESS ->
          anyFailure ? UPSTREAM_FAILED : allSkipped ? SKIPPED : allSuccessOrSkipped ? RUN : WAIT;
      case NONE_SKIPPED -> anySkipped ? SKIPPED : allFinished ? RUN : WAIT;
    };
  }

  /** Cases worth reading on their own, written out by hand. */
  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({
    // skip propagation down a default chain
    "all_success, skipped, SKIPPED",
    "all_success, success skipped, SKIPPED",
    "all_success, running skipped, SKIPPED",
    "all_success, skipped failed, UPSTREAM_FAILED",
    "all_success, running success, WAIT",
    "all_success, removed, WAIT",
    "all_success, removed success, WAIT",
    // early decisions
    "one_success, running success, RUN",
    "one_failed, running failed, RUN",
    "one_failed, running upstream_failed, RUN",
    "one_done, running failed, RUN",
    "one_done, running upstream_failed, WAIT",
    "one_done, upstream_failed skipped, SKIPPED",
    "one_success, removed, UPSTREAM_FAILED",
    // none_failed runs even if everything was skipped; min_one_success is skipped then
    "none_failed, skipped skipped, RUN",
    "none_failed_min_one_success, skipped skipped, SKIPPED",
    "none_failed_min_one_success, skipped success, RUN",
    "none_failed_min_one_success, skipped removed, WAIT",
    "none_skipped, running failed, WAIT",
    "none_skipped, success failed, RUN",
    "all_done, removed upstream_failed, RUN",
    "all_skipped, running skipped, WAIT",
    "all_skipped, running removed, WAIT",
    "all_failed, failed upstream_failed, RUN",
    "all_failed, failed removed, WAIT",
    "always, running running, RUN",
  })
  void namedCases(String rule, String upstream, TriggerDecision expected) {
    List<TaskInstanceState> ups =
        Stream.of(upstream.split(" ")).map(s -> TaskInstanceState.fromId(s).orElseThrow()).toList();
    assertThat(TriggerRules.decide(TriggerRule.fromId(rule).orElseThrow(), UpstreamStates.of(ups)))
        .isEqualTo(expected);
  }

  /**
   * Airflow's tests/ti_deps/deps/test_trigger_rule_dep.py, with flag_upstream_failed on (as the
   * scheduler runs it). Airflow mocks counts; where its mocked counts are inconsistent (done
   * smaller than the finished counts) the upstream total here is made consistent.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    // name, rule, success, skipped, failed, upstream_failed, removed, total, expected
    "test_no_upstream_tasks, all_done, 0, 0, 0, 0, 0, 0, RUN",
    "test_always_tr, always, 0, 0, 0, 0, 0, 1, RUN",
    "test_one_success_tr_success, one_success, 1, 2, 3, 2, 0, 8, RUN",
    "test_one_success_tr_failure, one_success, 0, 1, 1, 1, 1, 4, UPSTREAM_FAILED",
    "test_one_success_tr_failure_all_skipped, one_success, 0, 2, 0, 0, 0, 2, SKIPPED",
    "test_one_failure_tr_failure, one_failed, 2, 0, 0, 0, 0, 2, SKIPPED",
    "test_one_failure_tr_success, one_failed, 0, 2, 2, 0, 0, 4, RUN",
    "test_one_failure_tr_success_no_failed, one_failed, 0, 2, 0, 2, 0, 4, RUN",
    "test_one_done_tr_success, one_done, 2, 0, 0, 0, 0, 2, RUN",
    "test_one_done_tr_success_with_failed, one_done, 0, 0, 2, 0, 0, 2, RUN",
    "test_one_done_tr_skip, one_done, 0, 2, 0, 0, 0, 2, SKIPPED",
    "test_one_done_tr_upstream_failed, one_done, 0, 0, 0, 2, 0, 2, SKIPPED",
    "test_all_success_tr_success, all_success, 1, 0, 0, 0, 0, 1, RUN",
    "test_all_success_tr_failure, all_success, 1, 0, 1, 0, 0, 2, UPSTREAM_FAILED",
    "test_all_success_tr_skip, all_success, 1, 1, 0, 0, 0, 2, SKIPPED",
    "test_none_failed_tr_success, none_failed, 1, 1, 0, 0, 0, 2, RUN",
    "test_none_failed_tr_skipped, none_failed, 0, 2, 0, 0, 0, 2, RUN",
    "test_none_failed_tr_failure, none_failed, 1, 1, 1, 0, 0, 3, UPSTREAM_FAILED",
    "test_none_failed_min_one_success_tr_success, none_failed_min_one_success, 1, 1, 0, 0, 0, 2,"
        + " RUN",
    "test_none_failed_min_one_success_tr_skipped, none_failed_min_one_success, 0, 2, 0, 0, 0, 2,"
        + " SKIPPED",
    "test_none_failed_min_one_success_tr_failure, none_failed_min_one_success, 1, 1, 1, 0, 0, 3,"
        + " UPSTREAM_FAILED",
    "test_all_failed_tr_success, all_failed, 0, 0, 2, 0, 0, 2, RUN",
    "test_all_failed_tr_failure, all_failed, 2, 0, 0, 0, 0, 2, SKIPPED",
    "test_all_done_tr_success, all_done, 2, 0, 0, 0, 0, 2, RUN",
    "test_all_skipped_tr_failure, all_skipped, 1, 0, 0, 0, 0, 1, SKIPPED",
    "test_all_skipped_tr_success, all_skipped, 0, 3, 0, 0, 0, 3, RUN",
    "test_all_done_tr_failure, all_done, 1, 0, 0, 0, 0, 2, WAIT",
    "test_none_skipped_tr_success, none_skipped, 2, 0, 1, 0, 0, 3, RUN",
    "test_none_skipped_tr_failure, none_skipped, 1, 1, 0, 0, 0, 2, SKIPPED",
    "test_none_skipped_tr_failure_empty, none_skipped, 0, 0, 0, 0, 0, 1, WAIT",
  })
  void airflowsNamedCases(
      String name,
      String rule,
      int success,
      int skipped,
      int failed,
      int upstreamFailed,
      int removed,
      int total,
      TriggerDecision expected) {
    UpstreamStates up =
        new UpstreamStates(success, skipped, failed, upstreamFailed, removed, total);
    assertThat(TriggerRules.decide(TriggerRule.fromId(rule).orElseThrow(), up))
        .as(name)
        .isEqualTo(expected);
  }

  @Test
  void reasonsNameTheRuleAndTheCounts() {
    TriggerRuleEvaluation e =
        TriggerRules.evaluate(
            TriggerRule.ALL_SUCCESS,
            UpstreamStates.of(List.of(TaskInstanceState.SUCCESS, TaskInstanceState.RUNNING)));
    assertThat(e.decision()).isEqualTo(WAIT);
    assertThat(e.reason()).contains("all_success").contains("1 are not").contains("total=2");
  }

  @Test
  void countsMustAddUp() {
    assertThatThrownBy(() -> new UpstreamStates(2, 0, 0, 0, 0, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(
            UpstreamStates.of(
                    List.of(
                        TaskInstanceState.QUEUED,
                        TaskInstanceState.REMOVED,
                        TaskInstanceState.UP_FOR_RETRY))
                .done())
        .isEqualTo(1);
    assertThat(Set.of(TriggerDecision.values())).hasSize(4);
  }
}
