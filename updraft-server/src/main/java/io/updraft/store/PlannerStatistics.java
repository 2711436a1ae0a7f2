package io.updraft.store;

import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives PostgreSQL's planner statistics of the scheduler's busiest tables once, when it has none. A
 * new database has never been analysed: every estimate is one row, and the critical section's
 * queries flip between plans that read the whole backlog each pass (BENCHMARKS.md, "Throughput on
 * PostgreSQL"); a read of one run by {@code (dag_id, run_id)}, and each foreign key check of a new
 * task instance, XCom or history row, ties between the unique key and any other index that starts
 * with {@code dag_id}, and the other one reads all of the DAG's runs (decisions/0190), as does a
 * read of several runs' task instances by {@code run_id IN (…)}. Autovacuum analyses a table only
 * once enough of it changed, looking every minute; the scheduler's first burst comes before that.
 * Nothing on H2 or MariaDB, and nothing once the tables have been analysed (by this, autovacuum or
 * an operator): one cheap catalog read a pass until then.
 */
public final class PlannerStatistics {
  private static final Logger log = LoggerFactory.getLogger(PlannerStatistics.class);

  /**
   * A table is worth it at 16 pages (128 KB: a couple of hundred task instances, a hundred runs or
   * so): by then one DAG's rows are read by key, and a plan that reads them all instead costs.
   */
  private static final long MIN_BYTES = 16 * 8192L;

  /** Whether each table was ever analysed, and its size. */
  private static final String TABLE_STATE =
      """
      SELECT c.relname AS name, c.reltuples >= 0 AS analysed, pg_relation_size(c.oid) AS size
      FROM pg_class c
      WHERE c.oid IN ('task_instance'::regclass, 'dag_run'::regclass)
      """;

  private record State(boolean analysed, long size) {}

  private final Jdbc jdbc;
  private volatile boolean done;

  public PlannerStatistics(Database database) {
    this.jdbc = database.jdbc();
    this.done = !(database.dialect() instanceof Dialect.Postgres);
  }

  /**
   * Analyses the tables that have grown but were never analysed: both once task_instance has, or
   * dag_run alone once it has (task_instance's turn comes when it has grown too); true once neither
   * needs it.
   */
  public boolean analyseIfNone() {
    if (done) {
      return true;
    }
    try {
      Map<String, State> state = new HashMap<>();
      jdbc.query(
          "reading whether task_instance and dag_run have planner statistics",
          TABLE_STATE,
          ps -> {},
          rs ->
              state.put(
                  rs.getString("name"), new State(rs.getBoolean("analysed"), rs.getLong("size"))));
      State tis = state.getOrDefault("task_instance", new State(true, 0));
      State runs = state.getOrDefault("dag_run", new State(true, 0));
      if (!tis.analysed() && tis.size() >= MIN_BYTES) {
        analyse("task_instance, dag_run");
        done = true;
      } else if (!runs.analysed() && runs.size() >= MIN_BYTES) {
        analyse("dag_run");
        done = tis.analysed();
      } else {
        done = tis.analysed() && runs.analysed(); // by autovacuum or an operator, if not by this
      }
    } catch (DatabaseException e) {
      log.warn(
          "could not analyse task_instance and dag_run ({}); leaving it to autovacuum",
          e.getMessage());
      done = true;
    }
    return done;
  }

  private void analyse(String tables) {
    jdbc.update("analysing " + tables, "ANALYZE " + tables, ps -> {});
    log.info("gave PostgreSQL's planner its first statistics of {}", tables);
  }
}
