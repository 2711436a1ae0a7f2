package io.updraft.store;

import io.updraft.state.TaskInstanceState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * The task instances of many runs of one DAG in one statement, with only what a grid of runs ×
 * tasks shows: the web UI's grid reads 100 runs × 100 tasks this way rather than run by run.
 */
public final class TaskInstanceGrid {
  /** What a grid cell shows of a task instance. */
  public record Cell(
      String runId, String taskId, int mapIndex, TaskInstanceState state, int tryNumber) {}

  private static final String CELLS =
      """
      SELECT run_id, task_id, map_index, state, try_number
      FROM task_instance
      WHERE dag_id = ? AND run_id IN (%s)
      """;

  private static final int IDS_PER_STATEMENT = 500;

  private final Jdbc jdbc;

  public TaskInstanceGrid(Database database) {
    this.jdbc = database.jdbc();
  }

  /** Every task instance of these runs of {@code dagId}, in no particular order. */
  public List<Cell> cells(String dagId, Collection<String> runIds) {
    List<String> ids = List.copyOf(runIds);
    List<Cell> out = new ArrayList<>();
    for (int from = 0; from < ids.size(); from += IDS_PER_STATEMENT) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IDS_PER_STATEMENT));
      out.addAll(
          jdbc.query(
              "reading the task instances of " + chunk.size() + " runs of DAG '" + dagId + "'",
              CELLS.formatted(String.join(", ", Collections.nCopies(chunk.size(), "?"))),
              ps -> {
                ps.setString(1, dagId);
                int i = 2;
                for (String id : chunk) {
                  ps.setString(i++, id);
                }
              },
              rs ->
                  new Cell(
                      rs.getString("run_id"),
                      rs.getString("task_id"),
                      rs.getInt("map_index"),
                      TaskInstanceState.fromId(rs.getString("state"))
                          .orElse(TaskInstanceState.NONE),
                      rs.getInt("try_number"))));
    }
    return out;
  }
}
