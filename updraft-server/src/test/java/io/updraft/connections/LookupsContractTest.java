package io.updraft.connections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.updraft.UpdraftException;
import io.updraft.store.Database;
import io.updraft.store.ScratchDatabase;
import io.updraft.store.TestBackend;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Lookups} and the stored connections and variables on every backend: the environment wins
 * over the tables; what is found feeds the masker; rotation re-encrypts under the first key.
 */
abstract class LookupsContractTest {
  ScratchDatabase scratch;
  Database db;
  FernetKeys keys;
  String keyText;

  abstract TestBackend backend();

  @BeforeEach
  void database() {
    scratch = backend().create();
    db = Database.open(scratch.config());
    db.migrate();
    keyText = Fernet.generateKey();
    keys = FernetKeys.parse(keyText, "test");
    new StoredConnections(db, keys)
        .add(ConnectionUri.parse("db", "postgres://table:table-pw@table-host/x"));
    new StoredConnections(db, keys).add(ConnectionUri.parse("only_table", "http://u:only-pw@h"));
    new StoredVariables(db, keys).set("region", "from-table", null);
    new StoredVariables(db, keys).set("db_password", "table-secret", null);
  }

  @AfterEach
  void close() throws Exception {
    if (db != null) {
      db.close();
    }
    if (scratch != null) {
      scratch.close();
    }
  }

  @Test
  void rotationMovesEverySecretToTheFirstKey() {
    String newKey = Fernet.generateKey();
    FernetKeys both = FernetKeys.parse(newKey + "," + keyText, "test");
    assertThat(new StoredConnections(db, both).rotate()).isEqualTo(2);
    assertThat(new StoredVariables(db, both).rotate()).isEqualTo(2);
    assertThat(new StoredConnections(db, both).rotate()).isZero();
    FernetKeys onlyNew = FernetKeys.parse(newKey, "test");
    assertThat(new StoredConnections(db, onlyNew).get("db").orElseThrow().password())
        .isEqualTo("table-pw");
    assertThat(new StoredVariables(db, onlyNew).get("db_password")).contains("table-secret");
    assertThatThrownBy(() -> new StoredConnections(db, keys).get("db"))
        .isInstanceOf(UpdraftException.class)
        .hasMessageStartingWith("cannot decrypt the password of connection 'db'");
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
