package io.updraft.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

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
          "callback_request",
          "deadline",
          "dag_bundle",
          "users",
          "api_secret");

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

    int applied = db.migrate();

    assertThat(applied).isGreaterThanOrEqualTo(2);
    // Versions are handed out to branches worked on at once, so one may land before a lower one:
    // the latest applied is the latest required, whatever the gaps.
    String latest = db.status().current();
    assertThat(Integer.parseInt(latest)).isGreaterThanOrEqualTo(applied);
    assertThat(db.status()).isEqualTo(new SchemaStatus(SchemaStatus.State.CURRENT, latest, latest));
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
    String latest = db.status().current();
    try (Database newer = Database.open(scratch.config(), List.of("classpath:db/test-migration"))) {
      assertThat(newer.status())
          .isEqualTo(new SchemaStatus(SchemaStatus.State.BEHIND, latest, "1000"));
      assertThatThrownBy(newer::check)
          .hasMessage(
              "the metadata database at "
                  + db.displayUrl()
                  + " is at schema version "
                  + latest
                  + ", this Updraft needs 1000 — run 'updraft db migrate'");
      assertThat(newer.migrate()).isEqualTo(1);
      newer.check();
    }
  }

  @Test
  void refusesASchemaNewerThanItKnows() {
    try (Database newer = Database.open(scratch.config(), List.of("classpath:db/test-migration"))) {
      newer.migrate();
    }
    String latest = db.status().required();
    assertThat(db.status()).isEqualTo(new SchemaStatus(SchemaStatus.State.AHEAD, "1000", latest));
    String expected =
        "the metadata database at "
            + db.displayUrl()
            + " is at schema version 1000, newer than this Updraft knows ("
            + latest
            + ") — run a newer Updraft against it, or use another database";
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
        "INSERT INTO serialized_dag (dag_id, dag_hash, data, created_at, version_number)"
            + " VALUES (?, ?, '{}', ?, ?)";
    insert(serialized, "d", "h1", day, 1);
    insert(serialized, "d", "h2", day, 2); // every version is kept
    assertDuplicate(serialized, "d", "h1", day, 3);
    assertDuplicate(serialized, "d", "h3", day, 2); // one hash per version number

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

  /** V2 numbers the versions a V1 database already holds, in the order they were stored. */
  @Test
  void migratingFromV1NumbersExistingVersions() throws SQLException {
    org.flywaydb.core.Flyway.configure(getClass().getClassLoader())
        .dataSource(db.dataSource())
        .locations(db.dialect().migrationLocation())
        .table(Database.HISTORY_TABLE)
        .target("1")
        .load()
        .migrate();
    Instant day = Instant.parse("2024-01-01T00:00:00Z");
    String v1 =
        "INSERT INTO serialized_dag (dag_id, dag_hash, data, created_at) VALUES (?, ?, '{}', ?)";
    insert(v1, "d", "bbb", day);
    insert(v1, "d", "aaa", day.plusSeconds(5));
    insert(v1, "d", "ccc", day.plusSeconds(9));
    insert(v1, "e", "zzz", day);

    db.migrate();

    SerializedDagRepository repo = new SerializedDagRepository(db);
    assertThat(repo.versions("d"))
        .containsExactly(entry(1, "bbb"), entry(2, "aaa"), entry(3, "ccc"));
    assertThat(repo.versions("e")).containsExactly(entry(1, "zzz"));
    assertThat(repo.latestHash("d")).contains("ccc");
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
