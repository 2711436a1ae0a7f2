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

  private static final String NEVER_ANALYSED =
      """
      SELECT c.relname
      FROM pg_class c
      WHERE c.oid IN ('task_instance'::regclass, 'dag_run'::regclass)
        AND c.reltuples < 0
        AND pg_relation_size(c.oid) >= ?
      """;

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
      List<String> tables =
          jdbc.query(
              "finding tables without planner statistics",
              NEVER_ANALYSED,
              ps -> ps.setLong(1, MIN_BYTES),
              rs -> rs.getString(1));
      if (tables.contains("task_instance")) {
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
