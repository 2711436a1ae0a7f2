package io.updraft.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.state.DagRunState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Measures the critical section's claim with 100,000 scheduled task instances (LIMITS.md: on H2 a
 * locking query through a secondary index, or with an ORDER BY, locks every matching row). Prints
 * the median time of one claim of 64 and how many rows a second transaction finds locked. Only the
 * lock count is asserted; times are printed, never asserted. Set {@code UPDRAFT_MEASURE=1} to run.
 */
@EnabledIfEnvironmentVariable(named = "UPDRAFT_MEASURE", matches = "1")
abstract class ClaimMeasurement extends RepositoryContractTest {
  static final int RUNS = 100;
  static final int TASKS_PER_RUN = 1_000;
  static final int TOTAL = RUNS * TASKS_PER_RUN;
  static final int LIMIT = 64;

  /** The obvious query: order and lock in one statement. */
  static final String ONE_QUERY =
      """
      SELECT ti.id
      FROM task_instance ti %s
      JOIN dag_run dr ON dr.dag_id = ti.dag_id AND dr.run_id = ti.run_id
      WHERE ti.state = 'scheduled' AND dr.state = 'running'
      ORDER BY ti.priority_weight DESC, dr.logical_date, ti.id
      LIMIT 64
      FOR UPDATE SKIP LOCKED
      """;

  @Test
  void measure() {
    TaskInstanceRepository tis = new TaskInstanceRepository(db);
    Random random = new Random(1);
    long t = System.nanoTime();
    for (int r = 0; r < RUNS; r++) {
      String runId = "r" + r;
      run("d", runId, DagRunState.RUNNING, r);
      List<NewTaskInstance> tasks = new ArrayList<>();
      for (int i = 0; i < TASKS_PER_RUN; i++) {
        tasks.add(
            new NewTaskInstance(
                "t" + i, -1, random.nextInt(10), "default_pool", 1, "q", "bash", 0));
      }
      tis.createForRun("d", runId, tasks, T0);
    }
    db.jdbc().update("test", "UPDATE task_instance SET state = 'scheduled'", Jdbc.Binder.NONE);
    // Fresh statistics, as a running database's auto-analyze would have: plans depend on them.
    if (db.dialect() instanceof Dialect.MySql) {
      db.jdbc()
          .query("analyze", "ANALYZE TABLE task_instance, dag_run, dag", Jdbc.Binder.NONE, rs -> 1);
    } else {
      db.jdbc().update("analyze", "ANALYZE", Jdbc.Binder.NONE);
    }
    System.out.printf(
        "[%s] set up %,d scheduled task instances in %d ms%n",
        db.dialect().name(), TOTAL, (System.nanoTime() - t) / 1_000_000);

    report("one query, FOR UPDATE SKIP LOCKED", () -> oneQuery(""));
    if (!db.dialect().primaryKeyScanHint().isEmpty()) {
      report(
          "one query, " + db.dialect().primaryKeyScanHint(),
          () -> oneQuery(db.dialect().primaryKeyScanHint()));
    }
    int locked =
        report(
            "scheduledForQueueing(64)",
            () -> new TaskInstanceQueueing(db).scheduledForQueueing(LIMIT).size());
    // It locks no task rows at all: the pool rows serialize the critical section.
    assertThat(locked).isZero();
  }

  private int oneQuery(String hint) {
    return db.jdbc()
        .query("one query", ONE_QUERY.formatted(hint), Jdbc.Binder.NONE, rs -> rs.getLong(1))
        .size();
  }

  /** Median of 5 claims, each in its own rolled-back transaction; returns rows locked. */
  private int report(String name, Supplier<Integer> claim) {
    List<Long> micros = new ArrayList<>();
    int lockedByClaim = -1;
    String error = null;
    for (int i = 0; i < 6; i++) {
      try {
        int[] locked = new int[1];
        long[] took = new long[1];
        try {
          db.runInTransaction(
              () -> {
                long start = System.nanoTime();
                int returned = claim.get();
                took[0] = (System.nanoTime() - start) / 1_000;
                locked[0] = onOtherThread(this::lockedRows);
                assertThat(returned).isEqualTo(LIMIT);
                throw new Rollback();
              });
        } catch (Rollback expected) {
          // every measurement leaves the table as it was
        }
        if (i > 0) { // the first one warms up
          micros.add(took[0]);
        }
        lockedByClaim = locked[0];
      } catch (RuntimeException e) {
        error = Database.reason(e, List.of());
        break;
      }
    }
    if (error != null) {
      System.out.printf("[%s] %-40s not possible: %s%n", db.dialect().name(), name, error);
      return -1;
    }
    micros.sort(null);
    System.out.printf(
        "[%s] %-40s median %,8d µs, rows locked %,d of %,d%n",
        db.dialect().name(), name, micros.get(micros.size() / 2), lockedByClaim, TOTAL);
    return lockedByClaim;
  }

  /** From another transaction: how many scheduled rows it cannot lock. */
  private int lockedRows() {
    try (Connection c = db.dataSource().getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT id FROM task_instance WHERE state = 'scheduled' FOR UPDATE SKIP LOCKED");
          ResultSet rs = ps.executeQuery()) {
        int free = 0;
        while (rs.next()) {
          free++;
        }
        return TOTAL - free;
      } finally {
        c.rollback();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static final class Rollback extends RuntimeException {
    Rollback() {
      super("rollback", null, false, false);
    }
  }
}
