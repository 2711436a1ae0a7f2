package io.updraft.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.updraft.UpdraftException;
import io.updraft.dag.Dag;
import io.updraft.dag.Task;
import io.updraft.dag.WeightRule;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PriorityWeightsTest {

  static Task t(String id, int weight, WeightRule rule, String... upstream) {
    Task base = Task.of(id, "empty", Map.of()).withUpstream(List.of(upstream));
    return new Task(
        base.taskId(),
        base.operator(),
        base.args(),
        base.upstream(),
        base.triggerRule(),
        base.retries(),
        base.retryDelay(),
        base.retryExponentialBackoff(),
        base.maxRetryDelay(),
        base.executionTimeout(),
        base.pool(),
        base.poolSlots(),
        weight,
        rule,
        base.queue(),
        base.maxActiveTisPerDag(),
        base.dependsOnPast(),
        base.waitForDownstream(),
        base.startDate(),
        base.endDate(),
        base.env(),
        base.owner(),
        base.doc());
  }

  static Dag dag(List<Task> tasks) {
    return new Dag("d", null, null, null, null, null, false, 16, 16, null, null, null, tasks);
  }

  @Test
  void diamondCountsTheSharedDescendantOnce() {
    // a -> b, a -> c, b -> d, c -> d
    Dag dag =
        dag(
            List.of(
                t("a", 1, WeightRule.DOWNSTREAM),
                t("b", 10, WeightRule.DOWNSTREAM, "a"),
                t("c", 100, WeightRule.DOWNSTREAM, "a"),
                t("d", 1000, WeightRule.DOWNSTREAM, "b", "c")));
    assertThat(PriorityWeights.compute(dag))
        .isEqualTo(Map.of("a", 1111, "b", 1010, "c", 1100, "d", 1000));
  }

  @Test
  void upstreamAndAbsoluteRules() {
    Dag dag =
        dag(
            List.of(
                t("a", 1, WeightRule.UPSTREAM),
                t("b", 10, WeightRule.UPSTREAM, "a"),
                t("c", 100, WeightRule.ABSOLUTE, "a"),
                t("d", 1000, WeightRule.UPSTREAM, "b", "c")));
    Map<String, Integer> w = PriorityWeights.compute(dag);
    assertThat(w.get("a")).isEqualTo(1);
    assertThat(w.get("b")).isEqualTo(11);
    assertThat(w.get("c")).isEqualTo(100);
    assertThat(w.get("d")).isEqualTo(1111);
  }

  @Test
  void mixedRulesEachUseTheirOwnDirection() {
    Dag dag =
        dag(
            List.of(
                t("a", 1, WeightRule.DOWNSTREAM),
                t("b", 2, WeightRule.UPSTREAM, "a"),
                t("c", 4, WeightRule.DOWNSTREAM, "b")));
    assertThat(PriorityWeights.compute(dag)).isEqualTo(Map.of("a", 7, "b", 3, "c", 4));
  }

  @Test
  void sumsAreClampedToTheDatabaseRange() {
    Dag dag =
        dag(
            List.of(
                t("a", Integer.MAX_VALUE, WeightRule.DOWNSTREAM),
                t("b", Integer.MAX_VALUE, WeightRule.ABSOLUTE, "a"),
                t("x", Integer.MIN_VALUE, WeightRule.DOWNSTREAM),
                t("y", -5, WeightRule.ABSOLUTE, "x")));
    Map<String, Integer> w = PriorityWeights.compute(dag);
    assertThat(w.get("a")).isEqualTo(Integer.MAX_VALUE);
    assertThat(w.get("x")).isEqualTo(Integer.MIN_VALUE);
  }

  @Test
  void cyclesAndUnknownUpstreamsAreRejected() {
    assertThatThrownBy(
            () ->
                PriorityWeights.compute(
                    dag(
                        List.of(
                            t("a", 1, WeightRule.DOWNSTREAM, "b"),
                            t("b", 1, WeightRule.DOWNSTREAM, "a")))))
        .isInstanceOf(UpdraftException.class)
        .hasMessageContaining("cycle");
    assertThatThrownBy(
            () -> PriorityWeights.compute(dag(List.of(t("a", 1, WeightRule.DOWNSTREAM, "zz")))))
        .isInstanceOf(UpdraftException.class)
        .hasMessageContaining("'zz'");
  }

  @Test
  void agreesWithBruteForceOnRandomDags() {
    Random random = new Random(42);
    WeightRule[] rules = WeightRule.values();
    for (int round = 0; round < 200; round++) {
      int n = 1 + random.nextInt(25);
      List<Task> tasks = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        List<String> ups = new ArrayList<>();
        for (int j = 0; j < i; j++) {
          if (random.nextInt(4) == 0) {
            ups.add("t" + j);
          }
        }
        tasks.add(
            t(
                "t" + i,
                random.nextInt(20) - 5,
                rules[random.nextInt(3)],
                ups.toArray(String[]::new)));
      }
      assertThat(PriorityWeights.compute(dag(tasks))).isEqualTo(bruteForce(tasks));
    }
  }

  /** Depth-first search from every task, one relative set per task. */
  private static Map<String, Integer> bruteForce(List<Task> tasks) {
    Map<String, Task> byId = new HashMap<>();
    Map<String, List<String>> down = new HashMap<>();
    for (Task task : tasks) {
      byId.put(task.taskId(), task);
      down.putIfAbsent(task.taskId(), new ArrayList<>());
      for (String u : task.upstream()) {
        down.computeIfAbsent(u, k -> new ArrayList<>()).add(task.taskId());
      }
    }
    Map<String, Integer> out = new HashMap<>();
    for (Task task : tasks) {
      int sum = task.priorityWeight();
      if (task.weightRule() != WeightRule.ABSOLUTE) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        todo.push(task.taskId());
        while (!todo.isEmpty()) {
          String cur = todo.pop();
          List<String> next =
              task.weightRule() == WeightRule.DOWNSTREAM ? down.get(cur) : byId.get(cur).upstream();
          for (String x : next) {
            if (seen.add(x)) {
              todo.push(x);
            }
          }
        }
        for (String x : seen) {
          sum += byId.get(x).priorityWeight();
        }
      }
      out.put(task.taskId(), sum);
    }
    return out;
  }

  @Test
  void tenThousandTaskChainAndFanOut() {
    int n = 10_000;
    List<Task> chain = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      chain.add(
          i == 0
              ? t("t0", 1, WeightRule.DOWNSTREAM)
              : t("t" + i, 1, WeightRule.DOWNSTREAM, "t" + (i - 1)));
    }
    Map<String, Integer> w = PriorityWeights.compute(dag(chain));
    assertThat(w.get("t0")).isEqualTo(n);
    assertThat(w.get("t" + (n - 1))).isEqualTo(1);

    // every task depends on the root and on its predecessor: many paths to each descendant
    List<Task> dense = new ArrayList<>();
    dense.add(t("t0", 1, WeightRule.UPSTREAM));
    dense.add(t("t1", 1, WeightRule.UPSTREAM, "t0"));
    for (int i = 2; i < n; i++) {
      dense.add(t("t" + i, 1, WeightRule.UPSTREAM, "t0", "t" + (i - 1)));
    }
    assertThat(PriorityWeights.compute(dag(dense)).get("t" + (n - 1))).isEqualTo(n);
  }
}
