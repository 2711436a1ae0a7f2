package io.updraft.store;

import static org.assertj.core.api.Assertions.assertThat;

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
