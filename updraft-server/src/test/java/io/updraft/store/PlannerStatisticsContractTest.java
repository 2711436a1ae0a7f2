package io.updraft.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL's planner gets statistics of {@code task_instance} and {@code dag_run} once they have
 * grown and were never analysed; other engines, and tables already analysed, are left alone.
 */
abstract class PlannerStatisticsContractTest extends RepositoryContractTest {

  @Test
  void analysesGrownTablesThatWereNeverAnalysedOnPostgresOnly() {
    PlannerStatistics statistics = new PlannerStatistics(db);
    if (!(db.dialect() instanceof Dialect.Postgres)) {
      assertThat(statistics.analyseIfNone()).as("nothing to do on %s", db.dialect()).isTrue();
      return;
    }
    assertThat(statistics.analyseIfNone()).as("an empty table is not worth it").isFalse();
    assertThat(reltuples("task_instance")).isNegative();

    db.jdbc()
        .update(
            "a run",
            "INSERT INTO dag_run (dag_id, run_id, run_type, state, run_after)"
                + " VALUES ('d', 'r', 'manual', 'running', now())",
            ps -> {});
    db.jdbc()
        .update(
            "many task instances",
            "INSERT INTO task_instance (dag_id, run_id, task_id, pool, state)"
                + " SELECT 'd', 'r', 'task_' || i, 'default_pool', 'scheduled'"
                + " FROM generate_series(1, 5000) i",
            ps -> {});

    assertThat(statistics.analyseIfNone()).isTrue();
    assertThat(reltuples("task_instance")).isEqualTo(5000);
    assertThat(reltuples("dag_run")).isEqualTo(1);
    assertThat(statistics.analyseIfNone()).as("once").isTrue();
    assertThat(new PlannerStatistics(db).analyseIfNone())
        .as("a scheduler started on analysed tables stops looking at its first pass")
        .isTrue();
  }

  @Test
  void analysesManyRunsOfOneDagSoThatARunIsReadByItsKey() {
    PlannerStatistics statistics = new PlannerStatistics(db);
    if (!(db.dialect() instanceof Dialect.Postgres)) {
      return;
    }
    runsOfOneDag(2000, 0);

    assertThat(statistics.analyseIfNone()).as("task_instance still has none").isFalse();
    assertThat(reltuples("dag_run")).isEqualTo(2000);
    assertThat(reltuples("task_instance")).isNegative();
    assertThat(plan("SELECT id FROM dag_run WHERE dag_id = 'd' AND run_id = ?", "manual__7"))
        .anyMatch(line -> line.contains("dag_run_dag_id_run_id_key"));
  }

  @Test
  void analysesAThousandRunsTaskInstancesSoThatSeveralRunsAreReadByTheirKeys() {
    PlannerStatistics statistics = new PlannerStatistics(db);
    if (!(db.dialect() instanceof Dialect.Postgres)) {
      return;
    }
    runsOfOneDag(1000, 3);

    assertThat(statistics.analyseIfNone()).isTrue();
    assertThat(reltuples("task_instance")).isEqualTo(3000);
    assertThat(
            plan(
                "SELECT id FROM task_instance WHERE dag_id = 'd' AND run_id IN (?, ?, ?, ?)"
                    + " ORDER BY id",
                "manual__7",
                "manual__14",
                "manual__21",
                "manual__28"))
        .as("the runs' ids are part of the index read, not a filter over all of the DAG's rows")
        .anyMatch(line -> line.contains("Index Cond") && line.contains("run_id"));
  }

  /**
   * {@code runs} runs of DAG {@code d}, {@code manual__1} on, each with {@code tasks} instances.
   */
  private void runsOfOneDag(int runs, int tasks) {
    db.jdbc()
        .update(
            "runs of one DAG",
            "INSERT INTO dag_run (dag_id, run_id, run_type, state, run_after)"
                + " SELECT 'd', 'manual__' || i, 'manual', 'running', now()"
                + " FROM generate_series(1, ?) i",
            ps -> ps.setInt(1, runs));
    db.jdbc()
        .update(
            "their task instances",
            "INSERT INTO task_instance (dag_id, run_id, task_id, pool, state, operator)"
                + " SELECT 'd', 'manual__' || i, 't' || j, 'default_pool', 'success', 'http'"
                + " FROM generate_series(1, ?) i, generate_series(1, ?) j",
            ps -> {
              ps.setInt(1, runs);
              ps.setInt(2, tasks);
            });
  }

  /** PostgreSQL's plan of {@code sql} with these string parameters, a line each. */
  private List<String> plan(String sql, String... params) {
    return db.jdbc()
        .query(
            "a plan",
            "EXPLAIN " + sql,
            ps -> {
              for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
              }
            },
            rs -> rs.getString(1));
  }

  private double reltuples(String table) {
    return db.jdbc()
        .queryOne(
            "reltuples",
            "SELECT reltuples FROM pg_class WHERE oid = ?::regclass",
            ps -> ps.setString(1, table),
            rs -> rs.getDouble(1))
        .orElseThrow();
  }
}
