package io.updraft.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TimeZone;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of the metadata database, written once and run for real on every backend (one
 * subclass each). Every test gets a fresh, empty database, and runs with a JVM default time zone
 * that is not UTC (and has DST), so a stored time that depends on a zone shows up as a failure.
 */
abstract class StoreContractTest {
  static final String JVM_ZONE = "America/New_York";
  static final List<String> TABLES =
      List.of(
          "dag",
          "serialized_dag",
          "dag_run",
          "task_instance",
          "task_instance_history",
          "xcom",
          "pool",
          "job",
          "deferred_trigger",
          "import_error",
          "log",
          "callback_request");

  private static TimeZone savedZone;

  ScratchDatabase scratch;
  Database db;

  /** A fresh empty database on this backend. */
  abstract TestBackend backend();

  @BeforeAll
  static void nonUtcJvmZone() {
    savedZone = TimeZone.getDefault();
    TimeZone.setDefault(TimeZone.getTimeZone(JVM_ZONE));
  }

  @AfterAll
  static void restoreJvmZone() {
    TimeZone.setDefault(savedZone);
  }

  @BeforeEach
  void openScratchDatabase() {
    scratch = backend().create();
    db = Database.open(scratch.config());
  }

  @AfterEach
  void dropScratchDatabase() throws Exception {
    if (db != null) {
      db.close();
    }
    if (scratch != null) {
      scratch.close();
    }
  }

  @Test
  void migratesAnEmptyDatabaseToTheLatestVersion() throws SQLException {
    assertThat(db.status().state()).isEqualTo(SchemaStatus.State.EMPTY);

    assertThat(db.migrate()).isEqualTo(1);

    assertThat(db.status()).isEqualTo(new SchemaStatus(SchemaStatus.State.CURRENT, "1", "1"));
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      for (String table : TABLES) {
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
          assertThat(rs.next()).as(table).isTrue();
        }
      }
    }
  }

  @Test
  void migratingTwiceIsANoOp() {
    db.migrate();
    assertThat(db.migrate()).isZero();
    assertThat(db.status().isCurrent()).isTrue();
  }

  @Test
  void checkFailsClearlyBeforeMigrateAndPassesAfter() {
    assertThatThrownBy(db::check)
        .isInstanceOf(DatabaseException.class)
        .hasMessage(
            "the metadata database at "
                + db.displayUrl()
                + " has no Updraft schema — run 'updraft db migrate'");

    db.migrate();
    db.check();
  }

  @Test
  void checkNamesBothVersionsWhenTheSchemaIsOlder() {
    db.migrate();
    try (Database newer = Database.open(scratch.config(), List.of("classpath:db/test-migration"))) {
      assertThat(newer.status()).isEqualTo(new SchemaStatus(SchemaStatus.State.BEHIND, "1", "2"));
      assertThatThrownBy(newer::check)
          .hasMessage(
              "the metadata database at "
                  + db.displayUrl()
                  + " is at schema version 1, this Updraft needs 2 — run 'updraft db migrate'");
      assertThat(newer.migrate()).isEqualTo(1);
      newer.check();
    }
  }

  @Test
  void refusesASchemaNewerThanItKnows() {
    try (Database newer = Database.open(scratch.config(), List.of("classpath:db/test-migration"))) {
      newer.migrate();
    }
    assertThat(db.status()).isEqualTo(new SchemaStatus(SchemaStatus.State.AHEAD, "2", "1"));
    String expected =
        "the metadata database at "
            + db.displayUrl()
            + " is at schema version 2, newer than this Updraft knows (1) — run a newer Updraft"
            + " against it, or use another database";
    assertThatThrownBy(db::check).hasMessage(expected);
    assertThatThrownBy(db::migrate).hasMessage(expected);
  }

  @Test
  void defaultPoolHas128Slots() {
    db.migrate();
    assertThat(new PoolRepository(db).get(Pool.DEFAULT_POOL))
        .contains(new Pool("default_pool", 128, "Default pool", false));
  }

  /** Instants where a zone-dependent store would go wrong: micros, extremes, DST edges. */
  static final List<Instant> AWKWARD_INSTANTS =
      List.of(
          Instant.parse("1970-01-01T00:00:00Z"),
          Instant.parse("2024-05-06T07:08:09.123456Z"),
          Instant.parse("2024-05-06T07:08:09.000001Z"),
          // New York spring forward: 01:59:59.999999 EST, then 03:00 EDT.
          Instant.parse("2024-03-10T06:59:59.999999Z"),
          Instant.parse("2024-03-10T07:00:00Z"),
          // New York fall back: 01:30 EDT and 01:30 EST, the same wall-clock time an hour apart.
          Instant.parse("2024-11-03T05:30:00Z"),
          Instant.parse("2024-11-03T06:30:00Z"),
          // Berlin fall back: 02:30 CEST and 02:30 CET.
          Instant.parse("2024-10-27T00:30:00Z"),
          Instant.parse("2024-10-27T01:30:00Z"),
          Instant.parse("1000-01-01T00:00:00Z"),
          Instant.parse("9999-12-31T23:59:59.999999Z"));

  @Test
  void timestampsRoundTripExactlyInAnyZone() throws SQLException {
    db.migrate();
    Dialect dialect = db.dialect();
    try (Connection c = db.dataSource().getConnection()) {
      try (PreparedStatement insert =
          c.prepareStatement("INSERT INTO log (dttm, event) VALUES (?, ?)")) {
        for (int i = 0; i < AWKWARD_INSTANTS.size(); i++) {
          dialect.setInstant(insert, 1, AWKWARD_INSTANTS.get(i));
          insert.setString(2, "e" + i);
          insert.executeUpdate();
        }
      }
      List<Instant> read = new ArrayList<>();
      // Ordered by the database: wall-clock storage would misorder the fall-back pairs.
      try (PreparedStatement select = c.prepareStatement("SELECT dttm FROM log ORDER BY dttm");
          ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          read.add(dialect.getInstant(rs, "dttm"));
        }
      }
      assertThat(read).containsExactlyElementsOf(AWKWARD_INSTANTS.stream().sorted().toList());

      // Comparisons with a bound instant happen on instants too.
      try (PreparedStatement count =
          c.prepareStatement("SELECT COUNT(*) FROM log WHERE dttm < ?")) {
        dialect.setInstant(count, 1, Instant.parse("2024-11-03T06:30:00Z"));
        try (ResultSet rs = count.executeQuery()) {
          rs.next();
          assertThat(rs.getInt(1)).isEqualTo(9);
        }
      }
    }
  }

  @Test
  void nanosecondsAreTruncatedToMicroseconds() throws SQLException {
    db.migrate();
    try (Connection c = db.dataSource().getConnection()) {
      try (PreparedStatement insert =
          c.prepareStatement("INSERT INTO log (dttm, event) VALUES (?, 'x')")) {
        db.dialect().setInstant(insert, 1, Instant.parse("2024-01-01T00:00:00.123456789Z"));
        insert.executeUpdate();
      }
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT dttm FROM log")) {
        rs.next();
        assertThat(db.dialect().getInstant(rs, "dttm"))
            .isEqualTo(Instant.parse("2024-01-01T00:00:00.123456Z"));
      }
    }
  }

  @Test
  void uniqueConstraintsHold() throws SQLException {
    db.migrate();
    String run =
        "INSERT INTO dag_run (dag_id, run_id, run_type, state, logical_date, run_after)"
            + " VALUES (?, ?, 'scheduled', 'queued', ?, ?)";
    Instant day = Instant.parse("2024-01-01T00:00:00Z");
    insert(run, "d", "r1", day, day);
    assertDuplicate(run, "d", "r1", day.plusSeconds(1), day); // (dag_id, run_id)
    assertDuplicate(run, "d", "r2", day, day); // (dag_id, logical_date)
    insert(run, "d", "r3", null, day); // many runs without a logical date
    insert(run, "d", "r4", null, day);
    insert(run, "D", "r1", day, day); // ids are case-sensitive, also on MySQL

    String ti =
        "INSERT INTO task_instance (dag_id, run_id, task_id, map_index, pool) VALUES (?, ?, ?, ?,"
            + " 'default_pool')";
    insert(ti, "d", "r1", "t", -1);
    insert(ti, "d", "r1", "t", 0);
    assertDuplicate(ti, "d", "r1", "t", -1);

    String serialized =
        "INSERT INTO serialized_dag (dag_id, dag_hash, data, created_at) VALUES (?, ?, '{}', ?)";
    insert(serialized, "d", "h1", day);
    insert(serialized, "d", "h2", day); // every version is kept
    assertDuplicate(serialized, "d", "h1", day);

    assertDuplicate(
        "INSERT INTO pool (pool, slots, include_deferred) VALUES (?, 1, ?)", "default_pool", false);
  }

  @Test
  void claimQueriesUseThePortableClauseOrder() throws SQLException {
    db.migrate();
    String sql =
        "SELECT id FROM task_instance "
            + db.dialect().primaryKeyScanHint()
            + " WHERE state = ? ORDER BY id LIMIT 10 FOR UPDATE SKIP LOCKED";
    try (Connection c = db.dataSource().getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, "queued");
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isFalse();
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement("SELECT pool FROM pool WHERE pool = ? FOR UPDATE NOWAIT")) {
        ps.setString(1, Pool.DEFAULT_POOL);
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
        }
      }
      c.rollback();
    }
  }

  void insert(String sql, Object... values) throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, values);
      ps.executeUpdate();
    }
  }

  void assertDuplicate(String sql, Object... values) {
    assertThatThrownBy(() -> insert(sql, values))
        .isInstanceOfSatisfying(
            SQLException.class, e -> assertThat(db.dialect().isUniqueViolation(e)).isTrue());
  }

  private void bind(PreparedStatement ps, Object... values) throws SQLException {
    for (int i = 0; i < values.length; i++) {
      Object v = values[i];
      if (v instanceof Instant || v == null) {
        db.dialect().setInstant(ps, i + 1, (Instant) v);
      } else {
        ps.setObject(i + 1, v);
      }
    }
  }
}
