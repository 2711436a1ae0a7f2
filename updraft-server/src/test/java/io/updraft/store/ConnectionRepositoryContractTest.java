package io.updraft.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link ConnectionRepository} on every backend. */
abstract class ConnectionRepositoryContractTest {
  ScratchDatabase scratch;
  Database db;
  ConnectionRepository connections;

  abstract TestBackend backend();

  @BeforeEach
  void migratedDatabase() {
    scratch = backend().create();
    db = Database.open(scratch.config());
    db.migrate();
    connections = new ConnectionRepository(db);
  }

  @AfterEach
  void drop() throws Exception {
    if (db != null) {
      db.close();
    }
    if (scratch != null) {
      scratch.close();
    }
  }

  static ConnectionRow row(String id, String password) {
    return new ConnectionRow(
        id,
        "postgres",
        "the warehouse",
        "db.example.com",
        "orders",
        "etl",
        password,
        5432,
        "{\"sslmode\": \"require\"}",
        true,
        false);
  }

  @Test
  void addsOnceAndReadsEveryColumnBack() {
    assertThat(connections.add(row("warehouse", "token-1"))).isTrue();
    assertThat(connections.add(row("warehouse", "token-2"))).as("the id is taken").isFalse();
    assertThat(connections.get("warehouse")).contains(row("warehouse", "token-1"));
  }

  @Test
  void keepsNullsAndLongValues() {
    String longExtra = "{\"k\": \"" + "é€𝄞".repeat(5000) + "\"}";
    ConnectionRow sparse =
        new ConnectionRow(
            "bare", "http", null, null, null, null, null, null, longExtra, false, true);
    connections.add(sparse);
    assertThat(connections.get("bare")).contains(sparse);
  }

  @Test
  void listsById() {
    connections.add(row("zeta", null));
    connections.add(row("alpha", null));
    connections.add(row("Alpha", null));
    assertThat(connections.list())
        .extracting(ConnectionRow::connId)
        .containsExactly("Alpha", "alpha", "zeta");
  }

  @Test
  void setReplacesEveryField() {
    connections.add(row("w", "t1"));
    ConnectionRow other =
        new ConnectionRow("w", "mysql", null, "h", null, null, null, null, null, false, false);
    connections.set(other);
    assertThat(connections.get("w")).contains(other);
    assertThat(connections.list()).hasSize(1);
  }

  @Test
  void updateSecretsTouchesOnlyThem() {
    connections.add(row("w", "old"));
    assertThat(
            connections.updateSecrets(
                new ConnectionRow("w", null, null, null, null, null, "new", null, "x", true, true)))
        .isTrue();
    ConnectionRow after = connections.get("w").orElseThrow();
    assertThat(after.password()).isEqualTo("new");
    assertThat(after.extra()).isEqualTo("x");
    assertThat(after.isExtraEncrypted()).isTrue();
    assertThat(after.host()).isEqualTo("db.example.com");
    assertThat(
            connections.updateSecrets(
                new ConnectionRow(
                    "gone", null, null, null, null, null, "n", null, null, true, false)))
        .isFalse();
  }

  @Test
  void deleteRemovesOnce() {
    connections.add(row("tmp", null));
    assertThat(connections.delete("tmp")).isTrue();
    assertThat(connections.delete("tmp")).isFalse();
    assertThat(connections.get("tmp")).isEmpty();
  }
}
