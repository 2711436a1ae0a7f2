package io.updraft.rules;

import io.updraft.UpdraftException;
import io.updraft.dag.Dag;
import io.updraft.dag.Task;
import io.updraft.dag.WeightRule;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The effective priority of every task of a DAG, as Airflow 2.10's {@code priority_weight_total}:
 *
 * <ul>
 *   <li>{@code downstream}: own weight plus the weights of all distinct tasks downstream of it;
 *   <li>{@code upstream}: own weight plus the weights of all distinct tasks upstream of it;
 *   <li>{@code absolute}: own weight.
 * </ul>
 *
 * A task reachable by several paths counts once. Sums are clamped to the 32-bit range the database
 * column holds (Airflow's {@code db_safe_priority}).
 *
 * <p>How: one topological order (Kahn), then the set of descendants (or ancestors) of each task as
 * a {@link BitSet} built from its direct neighbours' sets in reverse (or forward) order. Time is
 * O(n·e/64) word operations for the unions plus O(n + Σ|reachable sets|) to add weights; memory is
 * n²/8 bytes (12.5 MB for 10,000 tasks), and the sets of one direction are built only if some task
 * uses that rule.
 */
public final class PriorityWeights {
  private PriorityWeights() {}

  public static Map<String, Integer> compute(Dag dag) {
    List<Task> tasks = dag.tasks();
    int n = tasks.size();
    Map<String, Integer> index = new HashMap<>(n * 2);
    for (int i = 0; i < n; i++) {
      index.put(tasks.get(i).taskId(), i);
    }
    int[][] upstream = new int[n][];
    int[] downstreamCount = new int[n];
    for (int i = 0; i < n; i++) {
      List<String> ups = tasks.get(i).upstream();
      upstream[i] = new int[ups.size()];
      for (int k = 0; k < ups.size(); k++) {
        Integer u = index.get(ups.get(k));
        if (u == null) {
          throw new UpdraftException(
              "DAG '"
                  + dag.dagId()
                  + "': task '"
                  + tasks.get(i).taskId()
                  + "' has unknown upstream task '"
                  + ups.get(k)
                  + "'; fix the upstream list");
        }
        upstream[i][k] = u;
        downstreamCount[u]++;
      }
    }
    int[][] downstream = new int[n][];
    for (int i = 0; i < n; i++) {
      downstream[i] = new int[downstreamCount[i]];
    }
    int[] fill = new int[n];
    for (int i = 0; i < n; i++) {
      for (int u : upstream[i]) {
        downstream[u][fill[u]++] = i;
      }
    }
    int[] order = topologicalOrder(dag, upstream, downstream);

    boolean needDown = false;
    boolean needUp = false;
    for (Task t : tasks) {
      needDown |= t.weightRule() == WeightRule.DOWNSTREAM;
      needUp |= t.weightRule() == WeightRule.UPSTREAM;
    }
    BitSet[] descendants = needDown ? reachable(order, downstream, true, n) : null;
    BitSet[] ancestors = needUp ? reachable(order, upstream, false, n) : null;

    Map<String, Integer> result = new LinkedHashMap<>(n * 2);
    for (int i = 0; i < n; i++) {
      Task t = tasks.get(i);
      long total = t.priorityWeight();
      BitSet others =
          switch (t.weightRule()) {
            case DOWNSTREAM -> descendants[i];
            case UPSTREAM -> ancestors[i];
            case ABSOLUTE -> null;
          };
      if (others != null) {
        for (int j = others.nextSetBit(0); j >= 0; j = others.nextSetBit(j + 1)) {
          total += tasks.get(j).priorityWeight();
        }
      }
      result.put(t.taskId(), (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, total)));
    }
    return result;
  }

  /**
   * For each task, the tasks reachable through {@code edges}. Neighbours along {@code edges} come
   * later in {@code order} when {@code reverse} is true, so we walk it backwards to have their sets
   * ready.
   */
  private static BitSet[] reachable(int[] order, int[][] edges, boolean reverse, int n) {
    BitSet[] sets = new BitSet[n];
    for (int k = 0; k < n; k++) {
      int i = reverse ? order[n - 1 - k] : order[k];
      BitSet s = new BitSet(n);
      for (int j : edges[i]) {
        s.set(j);
        s.or(sets[j]);
      }
      sets[i] = s;
    }
    return sets;
  }

  private static int[] topologicalOrder(Dag dag, int[][] upstream, int[][] downstream) {
    int n = upstream.length;
    int[] pending = new int[n];
    int[] order = new int[n];
    int head = 0;
    int tail = 0;
    for (int i = 0; i < n; i++) {
      // Count distinct upstream edges as listed; duplicates are harmless because downstream
      // holds the same duplicates.
      pending[i] = upstream[i].length;
      if (pending[i] == 0) {
        order[tail++] = i;
      }
    }
    while (head < tail) {
      int i = order[head++];
      for (int d : downstream[i]) {
        if (--pending[d] == 0) {
          order[tail++] = d;
        }
      }
    }
    if (tail < n) {
      List<String> stuck = new ArrayList<>();
      for (int i = 0; i < n && stuck.size() < 5; i++) {
        if (pending[i] > 0) {
          stuck.add(dag.tasks().get(i).taskId());
        }
      }
      throw new UpdraftException(
          "DAG '" + dag.dagId() + "' has a cycle through tasks " + stuck + "; remove the cycle");
    }
    return order;
  }
}
