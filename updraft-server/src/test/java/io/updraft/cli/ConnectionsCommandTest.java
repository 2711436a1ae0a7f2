package io.updraft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.connections.Fernet;
import io.updraft.store.ConnectionRepository;
import io.updraft.store.ConnectionRow;
import io.updraft.store.Database;
import io.updraft.store.DatabaseConfig;
import io.updraft.store.LogRepository;
import io.updraft.store.LogRow;
import io.updraft.store.VariableRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** connections and variables commands on the embedded database of a fresh home. */
class ConnectionsCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String URI =
      "postgresql://etl:s%40cr3t%2Fpw@DB.example.com:5432/orders?sslmode=require&api_key=k-123456";

  @TempDir Path home;

  private CliRun run(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--home";
    all[1] = home.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return CliRun.of(all);
  }

  private CliRun ok(String... args) {
    CliRun r = run(args);
    assertThat(r.exitCode()).as(String.join(" ", args) + ": " + r.err()).isZero();
    return r;
  }

  private void badInput(String expected, String... args) {
    CliRun r = run(args);
    assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(2);
    assertThat(r.err().lines()).as(r.err()).hasSize(1);
    assertThat(r.err()).contains(expected).doesNotContain("s@cr3t").doesNotContain("cr3t%2F");
  }

  @BeforeEach
  void migrate() throws Exception {
    CliRun r = ok("db", "migrate");
    Path key = home.resolve("fernet.key");
    assertThat(r.out()).contains("created a Fernet key in " + key + " (mode 600)");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    assertThat(ok("db", "migrate").out()).doesNotContain("Fernet");
  }

  private ConnectionRow storedRow(String id) {
    try (Database db = Database.open(DatabaseConfig.defaultUrl(home))) {
      return new ConnectionRepository(db).get(id).orElseThrow();
    }
  }

  @Test
  void addListGetMaskThePasswordAndStoreItEncrypted() throws Exception {
    assertThat(ok("connections", "add", "warehouse", "--conn-uri", URI).out())
        .isEqualTo("added connection warehouse (postgres)\n");

    JsonNode got = JSON.readTree(ok("connections", "get", "warehouse", "-o", "json").out());
    assertThat(got.toString())
        .isEqualTo(
            "{\"conn_id\":\"warehouse\",\"conn_type\":\"postgres\",\"description\":null,"
                + "\"host\":\"db.example.com\",\"port\":5432,\"login\":\"etl\","
                + "\"password\":\"***\",\"schema\":\"orders\","
                + "\"extra\":{\"sslmode\":\"require\",\"api_key\":\"***\"},"
                + "\"source\":\"database\"}");
    String list = ok("connections", "list").out();
    assertThat(list).contains("warehouse").contains("db.example.com").doesNotContain("s@cr3t");
    assertThat(ok("connections", "list", "-o", "json").out())
        .contains("\"password\" : \"***\"")
        .doesNotContain("s@cr3t/pw")
        .doesNotContain("k-123456");
    assertThat(ok("connections", "get", "warehouse").out())
        .contains("password: ***")
        .doesNotContain("k-123456");

    ConnectionRow row = storedRow("warehouse");
    assertThat(row.isEncrypted()).isTrue();
    assertThat(row.isExtraEncrypted()).isTrue();
    assertThat(row.password()).startsWith("gAAAAA").doesNotContain("s@cr3t");
    assertThat(row.extra()).doesNotContain("k-123456");
    String key = Files.readString(home.resolve("fernet.key")).strip();
    assertThat(new String(Fernet.of(key).decrypt(row.password()))).isEqualTo("s@cr3t/pw");

    try (Database db = Database.open(DatabaseConfig.defaultUrl(home))) {
      List<LogRow> audit = new LogRepository(db).recent(5);
      assertThat(audit).extracting(LogRow::event).contains("connection.add");
      assertThat(audit.toString()).contains("warehouse").doesNotContain("s@cr3t");
    }
  }

  @Test
  void fieldByFieldAndTheirExtra() throws Exception {
    ok(
        "connections",
        "add",
        "api",
        "--conn-type",
        "http",
        "--conn-host",
        "api.example.com",
        "--conn-port",
        "443",
        "--conn-login",
        "bot",
        "--conn-password",
        "hunter22",
        "--conn-schema",
        "https",
        "--conn-extra",
        "{\"timeout\": 5, \"auth\": {\"client_secret\": \"zzz-top\"}}",
        "--conn-description",
        "the API");
    JsonNode got = JSON.readTree(ok("connections", "get", "api", "-o", "json").out());
    assertThat(got.get("extra").toString())
        .isEqualTo("{\"timeout\":5,\"auth\":{\"client_secret\":\"***\"}}");
    assertThat(got.get("description").asText()).isEqualTo("the API");
    assertThat(got.get("password").asText()).isEqualTo("***");
  }

  @Test
  void badInputIsOneLineAndChangesNothing() {
    ok("connections", "add", "warehouse", "--conn-uri", URI);
    badInput(
        "connection 'warehouse' already exists",
        "connections",
        "add",
        "warehouse",
        "--conn-uri",
        URI);
    badInput(
        "--conn-uri is not valid: its port is not a number from 0 to 65535",
        "connections",
        "add",
        "x",
        "--conn-uri",
        "postgres://etl:s%40cr3t%2Fpw@host:54x2/db");
    badInput(
        "give exactly one of --conn-uri, --conn-json or --conn-type",
        "connections",
        "add",
        "x",
        "--conn-uri",
        URI,
        "--conn-type",
        "http");
    badInput(
        "go with --conn-type", "connections", "add", "x", "--conn-uri", URI, "--conn-host", "h");
    badInput(
        "--conn-extra is not valid: its extra must be a JSON object",
        "connections",
        "add",
        "x",
        "--conn-type",
        "http",
        "--conn-extra",
        "[1]");
    badInput("'bad id' is not a valid id", "connections", "add", "bad id", "--conn-type", "http");
    badInput("there is no connection 'nope'", "connections", "get", "nope");
    badInput("there is no connection 'nope'", "connections", "delete", "nope");
    badInput(
        "--conn-port", "connections", "add", "x", "--conn-type", "http", "--conn-port", "many");
    assertThat(ok("connections", "list", "-o", "json").out()).doesNotContain("\"x\"");
  }

  @Test
  void exportWritesABackupOnlyItsOwnerReadsAndImportRestoresIt() throws Exception {
    ok("connections", "add", "warehouse", "--conn-uri", URI, "--conn-description", "dw");
    ok("connections", "add", "api", "--conn-type", "http", "--conn-host", "h");
    Path file = home.resolve("backup/connections.json");
    assertThat(ok("connections", "export", file.toString()).out())
        .isEqualTo("exported 2 connections to " + file + "\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    JsonNode exported = JSON.readTree(file.toFile());
    assertThat(exported.get("warehouse").toString())
        .isEqualTo(
            "{\"conn_type\":\"postgres\",\"description\":\"dw\",\"login\":\"etl\","
                + "\"password\":\"s@cr3t/pw\",\"host\":\"db.example.com\",\"port\":5432,"
                + "\"schema\":\"orders\","
                + "\"extra\":\"{\\\"sslmode\\\":\\\"require\\\",\\\"api_key\\\":\\\"k-123456\\\"}\"}");

    ok("connections", "delete", "warehouse");
    assertThat(ok("connections", "import", file.toString()).out())
        .isEqualTo(
            "imported 1 connection from " + file + "; skipped api (they exist: use --overwrite)\n");
    assertThat(ok("connections", "import", file.toString(), "--overwrite").out())
        .startsWith("imported 2 connections");
    ConnectionRow row = storedRow("warehouse");
    assertThat(row.isEncrypted()).isTrue();
    assertThat(ok("connections", "get", "warehouse", "-o", "json").out()).contains("\"dw\"");

    Path broken = home.resolve("broken.json");
    Files.writeString(
        broken,
        "{\"a\": {\"conn_type\": \"http\"}, \"b\": {\"conn_type\": \"http\", \"port\": \"x\"}}");
    badInput(
        "connection 'b' is not valid: its port must be a number from 0 to 65535",
        "connections",
        "import",
        broken.toString());
    badInput("there is no connection 'a'", "connections", "get", "a");
  }

  @Test
  void aWrongOrMissingKeyIsAClearErrorNeverAnEmptyPassword() throws Exception {
    ok("connections", "add", "warehouse", "--conn-uri", URI);
    Path keyFile = home.resolve("fernet.key");
    String original = Files.readString(keyFile);

    Files.writeString(
        home.resolve("updraft.yaml"), "core:\n  fernet_key: " + Fernet.generateKey() + "\n");
    badInput(
        "cannot decrypt the password of connection 'warehouse' with the key of core.fernet_key"
            + " (UPDRAFT_CORE_FERNET_KEY): it was stored with another key",
        "connections",
        "get",
        "warehouse");

    Files.delete(home.resolve("updraft.yaml"));
    Files.delete(keyFile);
    badInput(
        "the password of connection 'warehouse' is stored encrypted but no Fernet key is set — set"
            + " core.fernet_key (UPDRAFT_CORE_FERNET_KEY)",
        "connections",
        "list");
    badInput(
        "cannot store the password of connection 'other' encrypted: no Fernet key is set",
        "connections",
        "add",
        "other",
        "--conn-uri",
        "http://u:pw-123@h");
    // Without a key, what holds no secret is stored in plain text, as Airflow does.
    ok("connections", "add", "plain", "--conn-uri", "http://h?timeout=5");
    assertThat(storedRow("plain").isExtraEncrypted()).isFalse();
    Files.writeString(keyFile, original);
    assertThat(ok("connections", "get", "warehouse").out()).contains("login: etl");
  }

  @Test
  void rotateKeyReEncryptsUnderTheFirstKey() throws Exception {
    ok("connections", "add", "warehouse", "--conn-uri", URI);
    ok("variables", "set", "api_token", "tok-98765");
    ok("connections", "add", "plain", "--conn-uri", "http://h?timeout=5");
    String oldKey = Files.readString(home.resolve("fernet.key")).strip();
    String newKey = Fernet.generateKey();
    Files.writeString(
        home.resolve("updraft.yaml"), "core:\n  fernet_key: " + newKey + "," + oldKey + "\n");

    assertThat(ok("connections", "rotate-key").out())
        .isEqualTo(
            "re-encrypted 2 connections and 1 variable with the first key of core.fernet_key\n");
    assertThat(ok("connections", "rotate-key").out())
        .startsWith("re-encrypted 0 connections and 0");

    Files.writeString(home.resolve("updraft.yaml"), "core:\n  fernet_key: " + newKey + "\n");
    assertThat(new String(Fernet.of(newKey).decrypt(storedRow("warehouse").password())))
        .isEqualTo("s@cr3t/pw");
    assertThat(ok("connections", "get", "warehouse", "-o", "json").out()).contains("\"etl\"");
    assertThat(ok("config", "list").out()).contains("core.fernet_key").doesNotContain(newKey);
  }

  @Test
  void variablesSetGetListDeleteImportExport() throws Exception {
    ok("variables", "set", "env_name", "prod", "--description", "where");
    ok("variables", "set", "db_password", "pw-12345");
    ok("variables", "set", "settings", "{\"rows\": 10, \"auth\": {\"token\": \"tok-555\"}}");
    assertThat(ok("variables", "get", "env_name").out()).isEqualTo("prod\n");
    assertThat(ok("variables", "get", "db_password").out()).isEqualTo("***\n");
    assertThat(ok("variables", "get", "settings").out()).doesNotContain("tok-555");
    assertThat(ok("variables", "get", "nope", "--default", "d").out()).isEqualTo("d\n");
    assertThat(JSON.readTree(ok("variables", "get", "env_name", "-o", "json").out()).toString())
        .isEqualTo("{\"key\":\"env_name\",\"val\":\"prod\",\"source\":\"database\"}");
    String list = ok("variables", "list", "-o", "json").out();
    assertThat(list).contains("\"prod\"").contains("\"***\"").doesNotContain("pw-12345");
    try (Database db = Database.open(DatabaseConfig.defaultUrl(home))) {
      assertThat(new VariableRepository(db).get("env_name").orElseThrow().isEncrypted()).isTrue();
    }

    Path file = home.resolve("vars.json");
    ok("variables", "export", file.toString());
    assertThat(JSON.readTree(file.toFile()).toString())
        .isEqualTo(
            "{\"db_password\":\"pw-12345\",\"env_name\":\"prod\","
                + "\"settings\":{\"rows\":10,\"auth\":{\"token\":\"tok-555\"}}}");
    ok("variables", "delete", "env_name");
    badInput("there is no variable 'env_name'", "variables", "get", "env_name");
    badInput("there is no variable 'env_name'", "variables", "delete", "env_name");
    assertThat(ok("variables", "import", file.toString()).out())
        .isEqualTo("imported 3 variables from " + file + "\n");
    assertThat(ok("variables", "get", "env_name").out()).isEqualTo("prod\n");
    assertThat(ok("variables", "get", "settings", "-o", "json").out()).contains("rows");
  }
}
