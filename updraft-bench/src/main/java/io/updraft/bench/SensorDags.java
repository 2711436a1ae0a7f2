package io.updraft.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The DAG files of the sensor scenarios, written as users write them. */
final class SensorDags {
  private SensorDags() {}

  /**
   * A DAG of {@code sensors} {@code defer} sensors in {@code pool}, each waiting for a file below
   * {@code never} that nobody creates: daily (one run, as soon as it is stored unpaused: catchup
   * off) or, if {@code manual}, run by hand.
   */
  static void waiting(
      Path file, String dagId, int sensors, String pool, Path never, String poke, boolean manual)
      throws IOException {
    StringBuilder y = header(dagId, manual ? "null" : "\"@daily\"");
    for (int i = 1; i <= sensors; i++) {
      y.append("  - {task_id: s").append(i).append(", operator: sensor, poke_interval: ");
      y.append(poke).append(", timeout: 1d, pool: ").append(pool);
      y.append(", wait: {file: \"").append(never.resolve(dagId + "_s" + i)).append("\"}}\n");
    }
    Files.writeString(file, y.toString());
  }

  /** {@code count} {@code shell true} tasks without dependencies in {@code pool}, run by hand. */
  static void work(Path file, String dagId, int count, String pool) throws IOException {
    StringBuilder y = header(dagId, "null");
    for (int i = 1; i <= count; i++) {
      y.append("  - {task_id: t").append(i).append(", operator: shell, command: \"true\", pool: ");
      y.append(pool).append("}\n");
    }
    Files.writeString(file, y.toString());
  }

  static StringBuilder header(String dagId, String schedule) {
    StringBuilder y = new StringBuilder();
    y.append("dag_id: ").append(dagId).append('\n');
    y.append("schedule: ").append(schedule).append('\n');
    y.append("start_date: 2024-01-01\n");
    y.append("catchup: false\n");
    y.append("max_active_tasks: 100000\n");
    y.append("default_args: {retries: 0}\n");
    y.append("tasks:\n");
    return y;
  }
}
