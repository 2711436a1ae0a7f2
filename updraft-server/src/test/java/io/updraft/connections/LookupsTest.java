package io.updraft.connections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.updraft.UpdraftException;
import io.updraft.store.Database;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Lookups}: the environment wins over the tables; what is found feeds the masker. */
class LookupsTest {
  @TempDir Path dir;
  Database db;
  FernetKeys keys;

  @BeforeEach
  void database() {
    db = Database.open("jdbc:h2:file:" + dir.resolve("db"));
    db.migrate();
    keys = FernetKeys.parse(Fernet.generateKey(), "test");
    new StoredConnections(db, keys)
        .add(ConnectionUri.parse("db", "postgres://table:table-pw@table-host/x"));
    new StoredConnections(db, keys).add(ConnectionUri.parse("only_table", "http://u:only-pw@h"));
    new StoredVariables(db, keys).set("region", "from-table", null);
    new StoredVariables(db, keys).set("db_password", "table-secret", null);
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void theEnvironmentWinsOverTheTables() {
    Lookups lookups =
        Lookups.of(
            Map.of(
                "UPDRAFT_CONN_DB", "postgres://env:env-pw@env-host/x",
                "UPDRAFT_VAR_REGION", "from-env"),
            db,
            keys);
    SecretMasker masker = new SecretMasker();
    assertThat(lookups.connections(masker).get("db").host()).isEqualTo("env-host");
    assertThat(lookups.connections(masker).get("only_table").password()).isEqualTo("only-pw");
    assertThat(lookups.variables(masker).find("region")).contains("from-env");
    assertThat(lookups.variables(masker).find("db_password")).contains("table-secret");
    assertThat(lookups.variables(masker).find("nope")).isEmpty();
    assertThat(masker.mask("env-pw only-pw table-secret from-env table-pw"))
        .as("only what was revealed, and only secrets")
        .isEqualTo("*** *** *** from-env table-pw");
    assertThatThrownBy(() -> lookups.connections(masker).get("nope"))
        .isInstanceOf(UnknownConnectionException.class)
        .hasMessage(
            "connection 'nope' is not defined: add it with 'updraft connections add nope"
                + " --conn-uri URI' or set UPDRAFT_CONN_NOPE");
  }

  @Test
  void theJsonFormWorksAndAMalformedValueNamesTheVariableOnly() {
    Lookups lookups =
        Lookups.environmentOnly(
            Map.of(
                "UPDRAFT_CONN_API",
                "{\"conn_type\": \"http\", \"host\": \"h\", \"password\": \"pw-9\","
                    + " \"extra\": {\"timeout\": 5}}",
                "UPDRAFT_CONN_BAD",
                "{\"conn_type\": \"http\", \"password\": hunter22}"));
    Connection api = lookups.connections(new SecretMasker()).get("api");
    assertThat(api.extra()).isEqualTo(Map.of("timeout", 5));
    assertThatThrownBy(() -> lookups.connections(new SecretMasker()).get("bad"))
        .isInstanceOf(UpdraftException.class)
        .hasMessageStartingWith("UPDRAFT_CONN_BAD is not a valid connection: it is not valid JSON")
        .hasMessageNotContaining("hunter22");
  }
}
