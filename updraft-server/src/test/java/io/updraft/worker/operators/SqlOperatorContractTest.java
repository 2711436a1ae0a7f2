package io.updraft.worker.operators;

import static io.updraft.worker.operators.OperatorTries.log;
import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.connections.Connection;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.ScratchDatabase;
import io.updraft.store.TestBackend;
import io.updraft.worker.FailureKind;
import io.updraft.worker.TryOutcome;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code sql} operator on a real database of each engine: one transaction, the last query's
 * rows with JSON types, parameters, {@code sql_file}, errors rolled back.
 */
abstract class SqlOperatorContractTest {

  @TempDir Path logs;
  @TempDir Path dags;
  ScratchDatabase db;
  OperatorTries tries;

  abstract TestBackend backend();

  /** The connection of the scratch database as users would add it. */
  abstract Connection connection(String url);

  /** A statement that takes about {@code seconds}, to test cancel; null if the engine has none. */
  String slowQuery(int seconds) {
    return null;
  }

  @BeforeEach
  void open() throws Exception {
    db = backend().create();
    tries = new OperatorTries(logs).conn(connection(db.config().url()));
    tries.dagFile = dags.resolve("d.yaml");
    Files.writeString(tries.dagFile, "dag_id: d\n");
  }

  @AfterEach
  void drop() throws Exception {
    JdbcPools.shared().close();
    db.close();
  }

  private TryOutcome sql(Object statements) {
    return tries.run("sql", Map.of("conn", "db", "sql", statements));
  }

  private long count(String table) throws Exception {
    try (var c =
            DriverManager.getConnection(
                db.config().url(), db.config().user(), db.config().password());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select count(*) from " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void theLastQuerysRowsAreJsonTyped() throws Exception {
    TryOutcome o =
        sql(
            List.of(
                "create table orders (id int, amount decimal(10,2), paid boolean, note varchar(20),"
                    + " at timestamp, on_day date)",
                "insert into orders values (1, 12.50, true, 'a', '2024-01-31 02:03:04', '2024-01-31'),"
                    + " (2, 0.10, false, null, null, null)",
                "select id, amount, paid, note, at, on_day, count(*) over () as n from orders order by"
                    + " id"));
    assertThat(o.state()).as(o.error()).isEqualTo(TaskInstanceState.SUCCESS);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> rows = (List<Map<String, Object>>) o.returnValue();
    assertThat(rows).hasSize(2);
    Map<String, Object> first = lower(rows.get(0));
    assertThat(first.get("id")).isEqualTo(1);
    assertThat(first.get("amount")).isEqualTo(new BigDecimal("12.50"));
    assertThat(first.get("paid")).isEqualTo(true);
    assertThat(first.get("note")).isEqualTo("a");
    assertThat(first.get("at")).isEqualTo("2024-01-31T02:03:04");
    assertThat(first.get("on_day")).isEqualTo("2024-01-31");
    assertThat(((Number) first.get("n")).longValue()).isEqualTo(2);
    Map<String, Object> second = lower(rows.get(1));
    assertThat(second.get("note")).isNull();
    assertThat(second.get("at")).isNull();
    assertThat(second.get("paid")).isEqualTo(false);
    assertThat(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(first))
        .contains("\"amount\":12.50");
    assertThat(log(o))
        .contains("statement 1 of 3: create table orders")
        .contains("2 rows affected")
        .contains("returned 2 rows")
        .contains("committed 3 statements");
  }

  @Test
  void anErrorRollsBackEveryStatementAndNamesTheConnection() throws Exception {
    assertThat(sql("create table t (id int primary key)").state())
        .isEqualTo(TaskInstanceState.SUCCESS);
    TryOutcome o =
        sql("insert into t values (1); insert into t values (2); insert into t values (1)");
    assertThat(o.state()).isEqualTo(TaskInstanceState.FAILED);
    assertThat(o.failure()).isEqualTo(FailureKind.OPERATOR);
    assertThat(o.error())
        .startsWith("task 't' (connection 'db'): SQL error: ")
        .doesNotContain("\n");
    assertThat(log(o)).contains("rolled back");
    assertThat(count("t")).isZero();
  }

  @Test
  void parametersByPositionAndByName() throws Exception {
    sql("create table p (id int, name varchar(20))");
    TryOutcome positional =
        tries.run(
            "sql",
            Map.of(
                "conn",
                "db",
                "sql",
                "insert into p values (?, ?)",
                "parameters",
                List.of(1, "it's")));
    assertThat(positional.state()).as(positional.error()).isEqualTo(TaskInstanceState.SUCCESS);
    TryOutcome named =
        tries.run(
            "sql",
            Map.of(
                "conn",
                "db",
                "sql",
                List.of(
                    "insert into p values (:id, :name)",
                    "select name from p where id = :id or name = ':id'"),
                "parameters",
                Map.of("id", 2, "name", "two")));
    assertThat(named.state()).as(named.error()).isEqualTo(TaskInstanceState.SUCCESS);
    assertThat(named.returnValue()).isEqualTo(List.of(lowerKeys(Map.of("name", "two"))));
  }

  @Test
  void sqlFileIsReadNextToTheDagFileAndMayNotLeaveIt() throws Exception {
    Files.createDirectories(dags.resolve("sql"));
    Files.writeString(
        dags.resolve("sql/load.sql"),
        "-- load; two statements\ncreate table f (v varchar(10));\ninsert into f values ('a;b');\n"
            + "select v from f where '{{ ds }}' = '2024-01-31';\n");
    TryOutcome o = tries.run("sql", Map.of("conn", "db", "sql_file", "sql/load.sql"));
    assertThat(o.state()).as(o.error()).isEqualTo(TaskInstanceState.SUCCESS);
    assertThat(o.returnValue()).isEqualTo(List.of(lowerKeys(Map.of("v", "a;b"))));

    TryOutcome escape = tries.run("sql", Map.of("conn", "db", "sql_file", "../secrets.sql"));
    assertThat(escape.state()).isEqualTo(TaskInstanceState.FAILED);
    assertThat(escape.error()).contains("sql_file refusing '../secrets.sql': it leads outside");
  }

  @Test
  void atMostAThousandRowsAreReturned() {
    TryOutcome o =
        sql(
            List.of(
                "create table r (i int)",
                "insert into r select 1 from (select 1 as x union all select 2 union all select 3"
                    + " union all select 4 union all select 5 union all select 6 union all select 7"
                    + " union all select 8 union all select 9 union all select 10 union all select"
                    + " 11) a, (select 1 as x union all select 2 union all select 3 union all select"
                    + " 4 union all select 5 union all select 6 union all select 7 union all select"
                    + " 8 union all select 9 union all select 10 union all select 11) b, (select 1"
                    + " as x union all select 2 union all select 3 union all select 4 union all"
                    + " select 5 union all select 6 union all select 7 union all select 8 union all"
                    + " select 9 union all select 10) c",
                "select i from r"));
    assertThat(o.state()).as(o.error()).isEqualTo(TaskInstanceState.SUCCESS);
    assertThat((List<?>) o.returnValue()).hasSize(1000);
  }

  @Test
  void executionTimeoutCancelsTheStatement() throws Exception {
    String slow = slowQuery(30);
    org.junit.jupiter.api.Assumptions.assumeTrue(slow != null, "the engine has no sleep function");
    TryOutcome o =
        tries.run("sql", Map.of("conn", "db", "sql", slow), java.time.Duration.ofMillis(500));
    assertThat(o.state()).isEqualTo(TaskInstanceState.FAILED);
    assertThat(o.failure()).isEqualTo(FailureKind.TIMED_OUT);
    assertThat(o.error()).isEqualTo("timed out after 500ms");
    assertThat(log(o)).contains("stopping the operator").doesNotContain("did not stop");
  }

  @Test
  void anUnknownConnectionAndABadConnType() {
    TryOutcome unknown = tries.run("sql", Map.of("conn", "warehouse", "sql", "select 1"));
    assertThat(unknown.error())
        .startsWith("task 't' (connection 'warehouse'): connection 'warehouse' is not defined");
    tries.conn(OperatorTries.connection("web", "http", "example.com", null, null, null));
    assertThat(tries.run("sql", Map.of("conn", "web", "sql", "select 1")).error())
        .isEqualTo(
            "task 't' (connection 'web'): conn_type 'http' is not an SQL connection — use"
                + " postgres, mysql, mariadb, h2, or jdbc with the JDBC URL in host and the"
                + " driver's jar in $UPDRAFT_HOME/drivers");
    tries.conn(
        OperatorTries.connection(
            "other", "jdbc", "jdbc:nosuchdb://h/x?password=p", null, null, null));
    assertThat(tries.run("sql", Map.of("conn", "other", "sql", "select 1")).error())
        .isEqualTo(
            "task 't' (connection 'other'): no JDBC driver takes URLs starting jdbc:nosuchdb —"
                + " put the driver's jar in $UPDRAFT_HOME/drivers and restart Updraft");
  }

  private static Map<String, Object> lower(Map<String, Object> row) {
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    row.forEach((k, v) -> out.put(k.toLowerCase(java.util.Locale.ROOT), v));
    return out;
  }

  /** H2 reports unquoted names in upper case, as the SQL standard says. */
  Map<String, Object> lowerKeys(Map<String, Object> row) {
    return row;
  }
}
