package io.updraft.store;

import io.updraft.state.DagRunState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The newest runs of many DAGs at once (the DAG list's strip of recent runs), in one statement
 * rather than one per DAG.
 */
public final class RecentDagRuns {
  /** What a list of DAGs shows of a run. */
  public record Recent(
      String dagId, String runId, DagRunState state, Instant runAfter, Instant logicalDate) {}

  private static final String RECENT =
      """
      SELECT dag_id, run_id, state, run_after, logical_date
      FROM (SELECT dag_id, run_id, state, run_after, logical_date,
                   ROW_NUMBER() OVER (PARTITION BY dag_id ORDER BY run_after DESC, id DESC) AS rn
            FROM dag_run
            WHERE dag_id IN (%s)) r
      WHERE rn <= ?
      ORDER BY dag_id, run_after DESC, rn
      """;

  private static final int IDS_PER_STATEMENT = 500;

  private final Jdbc jdbc;
  private final Dialect dialect;

  public RecentDagRuns(Database database) {
    this.jdbc = database.jdbc();
    this.dialect = database.dialect();
  }

  /** Each DAG's newest {@code perDag} runs (by {@code run_after}), newest first. */
  public Map<String, List<Recent>> of(Collection<String> dagIds, int perDag) {
    Map<String, List<Recent>> out = new LinkedHashMap<>();
    List<String> ids = List.copyOf(dagIds);
    for (int from = 0; from < ids.size(); from += IDS_PER_STATEMENT) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IDS_PER_STATEMENT));
      String sql =
          RECENT.formatted(String.join(", ", java.util.Collections.nCopies(chunk.size(), "?")));
      jdbc.query(
              "reading the recent runs of " + chunk.size() + " DAGs",
              sql,
              ps -> {
                int i = 1;
                for (String id : chunk) {
                  ps.setString(i++, id);
                }
                ps.setInt(i, perDag);
              },
              rs ->
                  new Recent(
                      rs.getString("dag_id"),
                      rs.getString("run_id"),
                      DagRunState.fromId(rs.getString("state")).orElse(DagRunState.QUEUED),
                      dialect.getInstant(rs, "run_after"),
                      dialect.getInstant(rs, "logical_date")))
          .forEach(r -> out.computeIfAbsent(r.dagId(), k -> new ArrayList<>()).add(r));
    }
    return out;
  }
}
