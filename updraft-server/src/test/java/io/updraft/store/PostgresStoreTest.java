package io.updraft.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class PostgresStoreTest extends StoreContractTest {
  @Override
  TestBackend backend() {
    return TestBackend.postgres();
  }

  /** The premise of the time tests: the session is not in UTC. */
  @Test
  void sessionTimeZoneIsNotUtc() throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW TIME ZONE")) {
      rs.next();
      assertThat(rs.getString(1)).isNotIn("UTC", "Etc/UTC", "GMT");
    }
  }
}
