package io.updraft.dag;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The semantic checks every DAG must pass however it was written (YAML or Java): valid ids, unique
 * task_ids, known upstream tasks, no cycle, a valid schedule, start_date where needed, sane limits,
 * known operators with the keys they need. Returns every problem, not just the first.
 *
 * <p>Each {@link Problem#path()} points into the DAG document ({@code tasks[2].upstream[0]}), with
 * task indices in declaration order, so the YAML loader can report a line and column. Messages do
 * not repeat the path's task index but name tasks where a relation between tasks is wrong.
 */
public final class DagValidator {
  /** What dag_ids and task_ids may look like (Airflow's KEY_REGEX with its 250 limit). */
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]{1,250}");

  private DagValidator() {}

  public static List<Problem> validate(Dag dag) {
    List<Problem> out = new ArrayList<>();
    checkId("dag_id", dag.dagId(), "dag_id", out);
    checkSchedule(dag, out);
    if (dag.startDate() == null && !(dag.schedule() instanceof Schedule.Manual)) {
      out.add(
          new Problem(
              "start_date",
              "start_date is missing — a DAG with a schedule needs one: add e.g. start_date:"
                  + " 2024-01-01, or set schedule: null for a manual-only DAG"));
    }
    if (dag.startDate() != null
        && dag.endDate() != null
        && dag.endDate().isBefore(dag.startDate())) {
      out.add(
          new Problem(
              "end_date",
              "end_date "
                  + dag.endDate()
                  + " is before start_date "
                  + dag.startDate()
                  + " — move it later or remove it"));
    }
    atLeastOne("max_active_runs", dag.maxActiveRuns(), out);
    atLeastOne("max_active_tasks", dag.maxActiveTasks(), out);
    notNegative("dagrun_timeout", dag.dagrunTimeout(), out);
    checkTasks(dag.tasks(), out);
    return out;
  }

  private static void checkId(String path, String id, String what, List<Problem> out) {
    if (id == null || !ID.matcher(id).matches()) {
      String fix =
          id == null || id.isEmpty()
              ? "set one"
              : id.length() > 250
                  ? "shorten it"
                  : "rename it, e.g. " + id.replaceAll("[^A-Za-z0-9_.-]", "_");
      out.add(
          new Problem(
              path,
              what
                  + " '"
                  + (id == null ? "" : id)
                  + "' is invalid: use 1 to 250 letters, digits, '_', '.' or '-' — "
                  + fix));
    }
  }

  private static void checkSchedule(Dag dag, List<Problem> out) {
    if (dag.schedule() instanceof Schedule.Cron cron) {
      try {
        DagValues.checkCron(cron.text(), cron.expression());
      } catch (IllegalArgumentException e) {
        out.add(new Problem("schedule", e.getMessage()));
      }
    }
    if (dag.schedule() instanceof Schedule.Continuous && dag.maxActiveRuns() > 1) {
      out.add(
          new Problem(
              "max_active_runs",
              "schedule @continuous runs one DagRun at a time but max_active_runs is "
                  + dag.maxActiveRuns()
                  + " — set max_active_runs: 1"));
    }
  }

  private static void checkTasks(List<Task> tasks, List<Problem> out) {
    Map<String, Integer> firstIndex = new HashMap<>();
    for (int i = 0; i < tasks.size(); i++) {
      Task t = tasks.get(i);
      String at = "tasks[" + i + "].";
      checkId(at + "task_id", t.taskId(), "task_id", out);
      Integer first = firstIndex.putIfAbsent(t.taskId(), i);
      if (first != null) {
        out.add(
            new Problem(
                at + "task_id",
                "task_id '"
                    + t.taskId()
                    + "' is already used by tasks["
                    + first
                    + "] — give every task its own task_id"));
      }
      checkOperator(t, at, out);
      if (t.retries() < 0) {
        out.add(
            new Problem(
                at + "retries", "retries is " + t.retries() + " — use 0 or more (0: no retry)"));
      }
      atLeastOne(at + "pool_slots", t.poolSlots(), out);
      if (t.maxActiveTisPerDag() != null) {
        atLeastOne(at + "max_active_tis_per_dag", t.maxActiveTisPerDag(), out);
      }
      notNegative(at + "retry_delay", t.retryDelay(), out);
      notNegative(at + "max_retry_delay", t.maxRetryDelay(), out);
      notNegative(at + "execution_timeout", t.executionTimeout(), out);
      checkOutlets(t, at, out);
      checkExecutorConfig(t, at, out);
      if (t.startDate() != null && t.endDate() != null && t.endDate().isBefore(t.startDate())) {
        out.add(
            new Problem(
                at + "end_date",
                "end_date "
                    + t.endDate()
                    + " is before start_date "
                    + t.startDate()
                    + " — move it later or remove it"));
      }
    }
    checkUpstream(tasks, firstIndex, out);
    checkCycles(tasks, firstIndex, out);
  }

  private static void checkOutlets(Task t, String at, List<Problem> out) {
    for (int k = 0; k < t.outlets().size(); k++) {
      String uri = t.outlets().get(k);
      int index = k;
      AssetUris.problem(uri)
          .ifPresent(
              p ->
                  out.add(
                      new Problem(
                          at + "outlets[" + index + "]",
                          "task '" + t.taskId() + "' outlets: " + p)));
    }
  }

  /**
   * The shape of {@code executor_config}: only {@code pod_override}, a map. What the pod may hold
   * is checked by the DAG processor against the Kubernetes pod model.
   */
  private static void checkExecutorConfig(Task t, String at, List<Problem> out) {
    for (Map.Entry<String, Object> e : t.executorConfig().entrySet()) {
      if (!Task.POD_OVERRIDE.equals(e.getKey())) {
        out.add(
            new Problem(
                at + "executor_config." + e.getKey(),
                "task '"
                    + t.taskId()
                    + "' executor_config has no key '"
                    + e.getKey()
                    + "' — the only one is pod_override (a Kubernetes pod merged over the pod"
                    + " template)"));
      } else if (!(e.getValue() instanceof Map)) {
        out.add(
            new Problem(
                at + "executor_config.pod_override",
                "task '"
                    + t.taskId()
                    + "' executor_config.pod_override must be a map, a Kubernetes pod such as"
                    + " {spec: {containers: [{name: base, resources: {limits: {memory: 2Gi}}}]}}"));
      }
    }
  }

  private static void checkOperator(Task t, String at, List<Problem> out) {
    if (CustomOperators.isCustom(t.operator())) {
      return; // its keys are its own; the DAG processor checks the class exists (SPEC §1.6)
    }
    Optional<OperatorSpec> spec = BuiltinOperators.get(t.operator());
    if (spec.isEmpty()) {
      out.add(
          new Problem(
              at + "operator",
              "unknown operator '"
                  + t.operator()
                  + "' — use one of "
                  + String.join(", ", BuiltinOperators.available())
                  + ", or a custom operator's class name"
                  + Suggestions.didYouMean(t.operator(), BuiltinOperators.available(), "; ")));
      return;
    }
    Optional<String> notYet = BuiltinOperators.notAvailable(t.operator());
    if (notYet.isPresent()) {
      out.add(new Problem(at + "operator", notYet.get()));
      return; // its keys matter once it runs
    }
    for (Problem p : spec.get().check(t.args())) {
      out.add(new Problem(at + p.path(), p.message()));
    }
  }

  private static void checkUpstream(
      List<Task> tasks, Map<String, Integer> index, List<Problem> out) {
    for (int i = 0; i < tasks.size(); i++) {
      Task t = tasks.get(i);
      for (int k = 0; k < t.upstream().size(); k++) {
        String up = t.upstream().get(k);
        String path = "tasks[" + i + "].upstream[" + k + "]";
        if (up.equals(t.taskId())) {
          out.add(
              new Problem(path, "task '" + t.taskId() + "' lists itself as upstream — remove it"));
        } else if (!index.containsKey(up)) {
          String hint = Suggestions.didYouMean(up, index.keySet(), "");
          out.add(
              new Problem(
                  path,
                  "task '"
                      + t.taskId()
                      + "' names upstream '"
                      + up
                      + "', which is not a task of this DAG — "
                      + (hint.isEmpty()
                          ? "the tasks are " + String.join(", ", index.keySet())
                          : hint)));
        }
      }
    }
  }

  /**
   * Reports one cycle per strongly connected group of tasks, starting at the group's first declared
   * task, as the shortest way round from it ({@code a -> b -> c -> a}, in the direction work
   * flows). The problem points at the upstream entry that closes the cycle.
   */
  private static void checkCycles(List<Task> tasks, Map<String, Integer> index, List<Problem> out) {
    int n = tasks.size();
    List<List<Integer>> downstream = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      downstream.add(new ArrayList<>());
    }
    for (int i = 0; i < n; i++) {
      if (index.get(tasks.get(i).taskId()) != i) {
        continue; // a duplicate task_id: reported already, its edges would confuse the graph
      }
      for (String up : tasks.get(i).upstream()) {
        Integer u = index.get(up);
        if (u != null && u != i && !downstream.get(u).contains(i)) {
          downstream.get(u).add(i);
        }
      }
    }
    int[] component = new StronglyConnected(downstream).components();
    Map<Integer, List<Integer>> groups = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      groups.computeIfAbsent(component[i], c -> new ArrayList<>()).add(i);
    }
    List<List<Integer>> sorted = new ArrayList<>(groups.values());
    sorted.sort((a, b) -> Integer.compare(Collections.min(a), Collections.min(b)));
    for (List<Integer> group : sorted) {
      if (group.size() < 2) {
        continue;
      }
      int start = Collections.min(group);
      List<Integer> cycle = shortestCycle(start, downstream, component);
      StringBuilder names = new StringBuilder();
      for (int v : cycle) {
        names.append(tasks.get(v).taskId()).append(" -> ");
      }
      names.append(tasks.get(start).taskId());
      String closing = tasks.get(cycle.get(cycle.size() - 1)).taskId();
      int k = tasks.get(start).upstream().indexOf(closing);
      out.add(
          new Problem(
              "tasks[" + start + "].upstream[" + k + "]",
              "cycle: " + names + " — a DAG cannot loop; remove one of these upstream links"));
    }
  }

  /** The tasks on the shortest path from start back to start, beginning with start. */
  private static List<Integer> shortestCycle(
      int start, List<List<Integer>> downstream, int[] component) {
    Map<Integer, Integer> parent = new HashMap<>();
    Deque<Integer> queue = new ArrayDeque<>(List.of(start));
    while (!queue.isEmpty()) {
      int v = queue.poll();
      for (int w : downstream.get(v)) {
        if (component[w] != component[start]) {
          continue;
        }
        if (w == start) {
          List<Integer> path = new ArrayList<>();
          for (Integer x = v; x != null; x = parent.get(x)) {
            path.add(0, x);
          }
          return path;
        }
        if (!parent.containsKey(w)) {
          parent.put(w, v);
          queue.add(w);
        }
      }
    }
    throw new IllegalStateException("no cycle through a task of a strongly connected group");
  }

  private static void atLeastOne(String path, int value, List<Problem> out) {
    if (value < 1) {
      String key = path.substring(path.lastIndexOf('.') + 1);
      out.add(new Problem(path, key + " is " + value + " — use 1 or more"));
    }
  }

  private static void notNegative(String path, Duration value, List<Problem> out) {
    if (value != null && value.isNegative()) {
      String key = path.substring(path.lastIndexOf('.') + 1);
      out.add(new Problem(path, key + " is negative (" + value + ") — use a positive duration"));
    }
  }

  /** Tarjan's algorithm, iterative so deep chains of tasks cannot overflow the stack. */
  private static final class StronglyConnected {
    private final List<List<Integer>> edges;
    private final int[] order;
    private final int[] low;
    private final int[] component;
    private final boolean[] onStack;
    private final Deque<Integer> stack = new ArrayDeque<>();
    private int counter;
    private int components;

    StronglyConnected(List<List<Integer>> edges) {
      this.edges = edges;
      int n = edges.size();
      order = new int[n];
      low = new int[n];
      component = new int[n];
      onStack = new boolean[n];
      java.util.Arrays.fill(order, -1);
    }

    int[] components() {
      for (int v = 0; v < edges.size(); v++) {
        if (order[v] < 0) {
          visit(v);
        }
      }
      return component;
    }

    private void visit(int root) {
      Deque<int[]> work = new ArrayDeque<>(); // {vertex, next edge index}
      enter(root);
      work.push(new int[] {root, 0});
      while (!work.isEmpty()) {
        int[] frame = work.peek();
        int v = frame[0];
        if (frame[1] < edges.get(v).size()) {
          int w = edges.get(v).get(frame[1]++);
          if (order[w] < 0) {
            enter(w);
            work.push(new int[] {w, 0});
          } else if (onStack[w]) {
            low[v] = Math.min(low[v], order[w]);
          }
        } else {
          work.pop();
          if (!work.isEmpty()) {
            int parent = work.peek()[0];
            low[parent] = Math.min(low[parent], low[v]);
          }
          if (low[v] == order[v]) {
            int w;
            do {
              w = stack.pop();
              onStack[w] = false;
              component[w] = components;
            } while (w != v);
            components++;
          }
        }
      }
    }

    private void enter(int v) {
      order[v] = low[v] = counter++;
      stack.push(v);
      onStack[v] = true;
    }
  }
}
