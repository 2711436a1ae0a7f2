package io.updraft.chaos;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The chaos DAG: per run, {@code pooledTasks} short tasks in the pool {@value #POOL}, a {@code
 * long} task outside it that outlives the heartbeat timeout (a killed worker's orphan would still
 * run when its retry starts), and a {@code last} task downstream of them all. Every try appends its
 * start and end to {@code traces} ({@link TryTraces#command}).
 *
 * @param pooledNap a bash expression for a pooled task's nap, e.g. {@code 0.$((RANDOM % 3 + 1))}
 * @param longNap the {@code long} task's nap, longer than the heartbeat timeout
 * @param retries the retries of every task but {@code long}
 * @param longRetries the retries of {@code long}: a try of it outlives several kills' intervals, so
 *     it needs more of them to be sure of its success (decisions/0185)
 */
public record ChaosDag(
    Path traces,
    int pooledTasks,
    String pooledNap,
    String longNap,
    int retries,
    int longRetries,
    int maxActiveRuns) {
  public static final String DAG_ID = "chaos";
  public static final String POOL = "chaos";

  /** Task instances per run. */
  public int tasksPerRun() {
    return pooledTasks + 2;
  }

  public String yaml() {
    StringBuilder yaml = new StringBuilder();
    yaml.append("dag_id: ").append(DAG_ID).append('\n');
    yaml.append("schedule: null\n");
    yaml.append("max_active_runs: ").append(maxActiveRuns).append('\n');
    yaml.append("default_args:\n  retries: ").append(retries).append("\n  retry_delay: 1s\n");
    yaml.append("tasks:\n");
    List<String> all = new ArrayList<>();
    for (int i = 1; i <= pooledTasks + 1; i++) {
      boolean pooled = i <= pooledTasks;
      String id = pooled ? "pooled_" + i : "long";
      all.add(id);
      task(yaml, id, pooled ? pooledNap : longNap, pooled ? POOL : null);
      if (!pooled && longRetries != retries) {
        yaml.append("    retries: ").append(longRetries).append('\n');
      }
    }
    task(yaml, "last", "0", null);
    yaml.append("    upstream: [").append(String.join(", ", all)).append("]\n");
    return yaml.toString();
  }

  private void task(StringBuilder yaml, String id, String nap, String pool) {
    yaml.append("  - task_id: ").append(id).append("\n    operator: shell\n");
    if (pool != null) {
      yaml.append("    pool: ").append(pool).append('\n');
    }
    yaml.append("    command: |\n");
    for (String line : TryTraces.command(traces, nap).split("\n")) {
      yaml.append("      ").append(line).append('\n');
    }
  }
}
