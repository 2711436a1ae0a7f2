package io.updraft.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the benchmark DAGs as YAML files, the way users write them, into a dags folder. Every task
 * is a {@code shell} task running {@code true}; every DAG is manual-only ({@code schedule: null})
 * so that the runs a workload triggers are the only ones.
 */
public final class DagFiles {
  private DagFiles() {}

  /** The shapes a benchmark DAG can have. */
  public enum Shape {
    /**
     * Seed 000's DAG: t1 → t2 → t3 → {t4…t8}, t8 → {t9…t12}; with more than 12 tasks (seed 000's
     * 40-task case) the tasks after t8 hang round-robin under t4…t8, a wider tree.
     */
    SEED000,
    /** t1 → t2 → … → tN. */
    LINE,
    /** N tasks with no dependencies. */
    INDEPENDENT;

    /** The upstream task numbers of task {@code i} (1-based) in a DAG of {@code n} tasks. */
    List<Integer> upstreamOf(int i, int n) {
      return switch (this) {
        case LINE -> i == 1 ? List.of() : List.of(i - 1);
        case INDEPENDENT -> List.of();
        case SEED000 -> {
          if (i == 1) {
            yield List.of();
          } else if (i <= 3) {
            yield List.of(i - 1);
          } else if (i <= 8) {
            yield List.of(3);
          } else if (n <= 12) {
            yield List.of(8);
          } else {
            yield List.of(4 + (i - 9) % 5);
          }
        }
      };
    }
  }

  /** The YAML of one DAG. {@code maxActiveRuns} lets that many runs of it go at once. */
  public static String dag(String dagId, Shape shape, int tasks, int maxActiveRuns) {
    StringBuilder y = new StringBuilder();
    y.append("dag_id: ").append(dagId).append('\n');
    y.append("schedule: null\n");
    y.append("max_active_runs: ").append(maxActiveRuns).append('\n');
    y.append("default_args: {retries: 0}\n");
    y.append("tasks:\n");
    for (int i = 1; i <= tasks; i++) {
      y.append("  - {task_id: t").append(i).append(", operator: shell, command: \"true\"");
      List<Integer> up = shape.upstreamOf(i, tasks);
      if (!up.isEmpty()) {
        y.append(", upstream: [");
        y.append(String.join(", ", up.stream().map(u -> "t" + u).toList()));
        y.append(']');
      }
      y.append("}\n");
    }
    return y.toString();
  }

  /** Writes {@code count} DAGs named {@code <prefix>_0 …}, one file each; returns their ids. */
  public static List<String> write(
      Path folder, String prefix, int count, Shape shape, int tasks, int maxActiveRuns) {
    List<String> ids = new ArrayList<>(count);
    for (int d = 0; d < count; d++) {
      String id = prefix + "_" + d;
      writeFile(folder.resolve(id + ".yaml"), dag(id, shape, tasks, maxActiveRuns));
      ids.add(id);
    }
    return ids;
  }

  /**
   * Seed 004's case: ONE file generating {@code count} DAGs of {@code tasks} tasks from a CSV next
   * to it (SPEC §1.4), each a daily schedule with the customer's id in its commands.
   */
  public static void forEach(Path folder, int count, int tasks) {
    StringBuilder csv = new StringBuilder("id,name,vertical\n");
    for (int c = 0; c < count; c++) {
      csv.append(1000 + c).append(",Customer").append(c).append(",e-commerce\n");
    }
    writeFile(folder.resolve("customers.csv"), csv.toString());
    StringBuilder y = new StringBuilder();
    y.append("for_each: customers.csv\n");
    y.append("dag_id: \"customer_{{ item.id }}\"\n");
    y.append("schedule: \"@daily\"\n");
    y.append("start_date: 2024-01-01\n");
    y.append("tags: [customers, \"{{ item.name }}\"]\n");
    y.append("tasks:\n");
    for (int i = 1; i <= tasks; i++) {
      y.append("  - task_id: step").append(i).append('\n');
      y.append("    operator: shell\n");
      y.append("    command: \"run step")
          .append(i)
          .append(" --customer {{ item.id }} --day {{ ds }}\"\n");
      if (i > 1) {
        y.append("    upstream: [step").append(i == 2 ? 1 : 1 + (i - 2) % 3).append("]\n");
      }
    }
    writeFile(folder.resolve("customers.yaml"), y.toString());
  }

  private static void writeFile(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
