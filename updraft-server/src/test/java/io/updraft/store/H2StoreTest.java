package io.updraft.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2StoreTest extends StoreContractTest {
  @TempDir static Path dir;

  @Override
  TestBackend backend() {
    return new TestBackend.H2(dir);
  }

  @Test
  void sessionsCacheEnoughPreparedStatementsForALoopPass() throws SQLException {
    try (Connection c = db.dataSource().getConnection();
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                        + " WHERE SETTING_NAME = 'QUERY_CACHE_SIZE'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(64);
    }
  }
}
