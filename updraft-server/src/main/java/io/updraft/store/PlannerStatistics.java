package io.updraft.store;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives PostgreSQL's planner statistics of the scheduler's busiest tables once, when it has none. A
 * new database has never been analysed: every estimate is one row, and the critical section's
 * queries flip between plans that read the whole backlog each pass (BENCHMARKS.md, "Throughput on
 * PostgreSQL"). Autovacuum analyses a table only once enough of it changed, looking every minute;
 * the scheduler's first burst comes before that. Nothing on H2 or MariaDB, and nothing once the
 * tables have been analysed (by this, autovacuum or an operator): one cheap catalog read a pass
 * until then.
 */
public final class PlannerStatistics {
  private static final Logger log = LoggerFactory.getLogger(PlannerStatistics.class);

  /** Tables big enough to be worth it: 64 pages (512 KB, about a thousand task instances). */
  private static final long MIN_BYTES = 64 * 8192L;

  /** Whether task_instance was ever analysed, and its size. */
  private static final String TASK_INSTANCE_STATE =
      """
      SELECT c.reltuples >= 0 AS analysed, pg_relation_size(c.oid) AS size
      FROM pg_class c
      WHERE c.oid = 'task_instance'::regclass
      """;

  private record State(boolean analysed, long size) {}

  private final Jdbc jdbc;
  private volatile boolean done;

  public PlannerStatistics(Database database) {
    this.jdbc = database.jdbc();
    this.done = !(database.dialect() instanceof Dialect.Postgres);
  }

  /** Analyses the tables that have grown but were never analysed; true once there is no need. */
  public boolean analyseIfNone() {
    if (done) {
      return true;
    }
    try {
      List<State> state =
          jdbc.query(
              "reading whether task_instance has planner statistics",
              TASK_INSTANCE_STATE,
              ps -> {},
              rs -> new State(rs.getBoolean("analysed"), rs.getLong("size")));
      if (state.isEmpty() || state.get(0).analysed()) {
        done = true; // analysed already (autovacuum, an operator): never look again
      } else if (state.get(0).size() >= MIN_BYTES) {
        jdbc.update(
            "analysing task_instance and dag_run", "ANALYZE task_instance, dag_run", ps -> {});
        log.info("gave PostgreSQL's planner its first statistics of task_instance and dag_run");
        done = true;
      }
    } catch (DatabaseException e) {
      log.warn(
          "could not analyse task_instance and dag_run ({}); leaving it to autovacuum",
          e.getMessage());
      done = true;
    }
    return done;
  }
}
