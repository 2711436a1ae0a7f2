package io.updraft.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.dag.Dag;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads the task_ids a {@code branch} command chose from its last stdout line: a JSON list ({@code
 * ["a", "b"]}) or task_ids separated by commas or spaces ({@code a, b}). No output chooses none
 * (every direct downstream task is skipped), as a branch callable returning None does in Airflow.
 * As in Airflow 2.10, every chosen task_id must be a task of the DAG.
 */
final class BranchChoice {

  private static final ObjectMapper JSON = new ObjectMapper();

  private BranchChoice() {}

  /**
   * @throws IllegalArgumentException with a one-line message when the line is not a list of the
   *     DAG's task_ids
   */
  static List<String> parse(String line, Dag dag, String branchTaskId) {
    List<String> ids = new ArrayList<>();
    if (line == null || line.isBlank()) {
      return ids;
    }
    String text = line.strip();
    if (text.startsWith("[")) {
      try {
        for (Object o : JSON.readValue(text, List.class)) {
          ids.add(String.valueOf(o));
        }
      } catch (Exception e) {
        throw new IllegalArgumentException(
            "branch '" + branchTaskId + "' printed '" + text + "', which is not a JSON list");
      }
    } else {
      for (String id : text.split("[,\\s]+")) {
        if (!id.isEmpty()) {
          ids.add(id);
        }
      }
    }
    Set<String> known = dag.tasksById().keySet();
    List<String> unknown = ids.stream().filter(id -> !known.contains(id)).toList();
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "branch '"
              + branchTaskId
              + "' chose "
              + String.join(", ", unknown)
              + ", not task_ids of DAG '"
              + dag.dagId()
              + "' — print task_ids of its downstream tasks on the last line");
    }
    return ids;
  }
}
