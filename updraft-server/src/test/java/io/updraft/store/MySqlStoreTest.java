package io.updraft.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class MySqlStoreTest extends StoreContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.mysql();
  }

  /** DATETIME holds UTC wall-clock time; SQL time functions must agree, so sessions are UTC. */
  @Test
  void sessionTimeZoneIsPinnedToUtc() throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT @@session.time_zone")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("+00:00");
    }
  }

  /** MariaDB Connector/J serves jdbc:mysql: URLs too; Updraft adds the flag it needs. */
  @Test
  void acceptsJdbcMysqlUrls() {
    db.migrate();
    String url = scratch.config().url().replaceFirst("^jdbc:mariadb:", "jdbc:mysql:");
    try (Database mysql = Database.open(url)) {
      mysql.check();
      assertThat(new PoolRepository(mysql).get(Pool.DEFAULT_POOL)).isPresent();
    }
  }

  /** A statement run again on the same connection is not prepared again by the server. */
  @Test
  void preparedStatementsArePreparedOnceAndReused() throws SQLException {
    try (Connection c = db.dataSource().getConnection()) {
      long before = prepares(c);
      for (int i = 0; i < 5; i++) {
        try (PreparedStatement ps = c.prepareStatement("SELECT ? + 1")) {
          ps.setInt(1, i);
          ps.executeQuery().close();
        }
      }
      assertThat(prepares(c) - before).isEqualTo(1);
    }
  }

  private static long prepares(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW SESSION STATUS LIKE 'Com_stmt_prepare'")) {
      rs.next();
      return rs.getLong(2);
    }
  }
}
