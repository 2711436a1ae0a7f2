package io.updraft.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.updraft.connections.Connection;
import io.updraft.connections.ConnectionActions;
import io.updraft.connections.VariableActions;
import io.updraft.store.DagRepository;
import io.updraft.store.ImportErrorRepository;
import io.updraft.store.ImportErrorRow;
import io.updraft.store.LogRepository;
import io.updraft.store.LogRow;
import io.updraft.store.PoolRepository;
import io.updraft.store.UserRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * Pools, variables, connections, import errors, event logs, users, DAG source, details and tasks,
 * and the API browser: what each answers in Airflow's shapes, what its writes leave in the database
 * and the audit log, and that no secret comes back.
 */
abstract class ApiResourcesContractTest extends ApiServerTestBase {

  private static List<String> texts(JsonNode array, String field) {
    return StreamSupport.stream(array.spliterator(), false)
        .map(n -> n.get(field).asText())
        .toList();
  }

  private Response as(Role role, String method, String path, String body) {
    return send(method, path, tokens.get(role), body);
  }

  private LogRow lastAudit() {
    // By id, not time: the event log test records events later than the server's clock.
    return new LogRepository(db).page(LogRepository.Filter.NONE, "id", true, 1, 0).getFirst();
  }

  // --- pools ---

  @Test
  void poolsListWithTheirSlotsByState() {
    new PoolRepository(db).add(new io.updraft.store.Pool("etl", 4, "loads", true));
    db.jdbc()
        .update(
            "a running and a deferred instance in etl",
            "UPDATE task_instance SET pool = 'etl', state = CASE task_id WHEN 'extract' THEN"
                + " 'running' ELSE 'deferred' END WHERE run_id = ?",
            ps -> ps.setString(1, SEEDED_RUN));
    try {
      Response list = get("/api/v2/pools", Role.VIEWER);
      assertThat(list.status()).isEqualTo(200);
      assertThat(texts(list.json().get("pools"), "name")).contains("default_pool", "etl");
      JsonNode etl = get("/api/v2/pools/etl", Role.VIEWER).json();
      assertThat(etl.get("slots").asInt()).isEqualTo(4);
      assertThat(etl.get("description").asText()).isEqualTo("loads");
      assertThat(etl.get("include_deferred").asBoolean()).isTrue();
      assertThat(etl.get("running_slots").asInt()).isEqualTo(1);
      assertThat(etl.get("deferred_slots").asInt()).isEqualTo(1);
      assertThat(etl.get("queued_slots").asInt()).isZero();
      assertThat(etl.get("scheduled_slots").asInt()).isZero();
      assertThat(etl.get("occupied_slots").asInt()).isEqualTo(2);
      assertThat(etl.get("open_slots").asInt()).isEqualTo(2);
      JsonNode page =
          get("/api/v2/pools?pool_name_pattern=et%25&order_by=-name", Role.VIEWER).json();
      assertThat(texts(page.get("pools"), "name")).containsExactly("etl");
      assertThat(page.get("total_entries").asInt()).isEqualTo(1);
    } finally {
      db.jdbc()
          .update(
              "back to none in default_pool",
              "UPDATE task_instance SET pool = 'default_pool', state = NULL WHERE run_id = ?",
              ps -> ps.setString(1, SEEDED_RUN));
    }
  }

  @Test
  void poolsAreCreatedChangedAndDeletedAsTheCliDoesAndAudited() {
    Response created =
        as(Role.OP, "POST", "/api/v2/pools", "{\"name\": \"reports\", \"slots\": 3}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().get("open_slots").asInt()).isEqualTo(3);
    assertThat(created.json().get("include_deferred").asBoolean()).isFalse();
    assertThat(lastAudit().event()).isEqualTo("pool.create");
    assertThat(lastAudit().owner()).isEqualTo("op");

    Response again = as(Role.OP, "POST", "/api/v2/pools", "{\"name\": \"reports\", \"slots\": 1}");
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.detail()).contains("reports");

    Response patched =
        as(
            Role.OP,
            "PATCH",
            "/api/v2/pools/reports",
            "{\"slots\": -1, \"description\": \"monthly\"}");
    assertThat(patched.status()).as(patched.body()).isEqualTo(200);
    assertThat(patched.json().get("slots").asInt()).isEqualTo(-1);
    assertThat(patched.json().get("open_slots").asInt()).isEqualTo(-1);
    assertThat(new PoolRepository(db).get("reports").orElseThrow().description())
        .isEqualTo("monthly");
    assertThat(lastAudit().event()).isEqualTo("pool.update");

    Response masked =
        as(
            Role.OP,
            "PATCH",
            "/api/v2/pools/reports?update_mask=description",
            "{\"slots\": 9, \"description\": null}");
    assertThat(masked.status()).as(masked.body()).isEqualTo(200);
    assertThat(masked.json().get("slots").asInt()).as("not in the mask").isEqualTo(-1);
    assertThat(masked.json().get("description").isNull()).isTrue();

    Response rename = as(Role.OP, "PATCH", "/api/v2/pools/reports", "{\"name\": \"other\"}");
    assertThat(rename.status()).isEqualTo(400);
    assertThat(rename.detail()).contains("name");
    Response badMask =
        as(Role.OP, "PATCH", "/api/v2/pools/reports?update_mask=colour", "{\"slots\": 1}");
    assertThat(badMask.status()).isEqualTo(400);
    assertThat(badMask.detail()).contains("update_mask").contains("colour");

    Response deleted = as(Role.OP, "DELETE", "/api/v2/pools/reports", null);
    assertThat(deleted.status()).isEqualTo(204);
    assertThat(deleted.body()).isEmpty();
    assertThat(lastAudit().event()).isEqualTo("pool.delete");
    assertThat(get("/api/v2/pools/reports", Role.VIEWER).status()).isEqualTo(404);
    assertThat(as(Role.OP, "DELETE", "/api/v2/pools/reports", null).status()).isEqualTo(404);
    assertThat(as(Role.OP, "PATCH", "/api/v2/pools/reports", "{\"slots\": 1}").status())
        .isEqualTo(404);

    Response defaultPool = as(Role.OP, "DELETE", "/api/v2/pools/default_pool", null);
    assertThat(defaultPool.status()).isEqualTo(400);
    assertThat(defaultPool.detail()).contains("default_pool");
    assertThat(new PoolRepository(db).get("default_pool")).isPresent();

    Response negative = as(Role.OP, "POST", "/api/v2/pools", "{\"name\": \"neg\", \"slots\": -5}");
    assertThat(negative.status()).isEqualTo(400);
    assertThat(negative.detail()).contains("slots");
    assertThat(new PoolRepository(db).get("neg")).isEmpty();
  }

  // --- variables ---

  @Test
  void aSecretLookingVariableIsStoredEncryptedAndShownMasked() {
    Response created =
        as(
            Role.OP,
            "POST",
            "/api/v2/variables",
            "{\"key\": \"smtp_password\", \"value\": \"hunter2-secret\", \"description\": \"mail\"}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().get("value").asText()).isEqualTo("***");
    assertThat(created.json().get("is_encrypted").asBoolean()).isTrue();
    assertThat(created.json().get("description").asText()).isEqualTo("mail");
    assertThat(created.body()).doesNotContain("hunter2");
    assertThat(new VariableActions(db, fernetKeys).get("smtp_password").orElseThrow().value())
        .isEqualTo("hunter2-secret");
    LogRow audit = lastAudit();
    assertThat(audit.event()).isEqualTo("variable.create");
    assertThat(audit.owner()).isEqualTo("op");
    assertThat(audit.extra()).contains("smtp_password").doesNotContain("hunter2");

    Response json =
        as(
            Role.OP,
            "POST",
            "/api/v2/variables",
            "{\"key\": \"warehouse\", \"value\": {\"host\": \"db\", \"token\": \"tok-12345\"}}");
    assertThat(json.status()).as(json.body()).isEqualTo(201);
    assertThat(json.json().get("value").asText()).isEqualTo("{\"host\":\"db\",\"token\":\"***\"}");

    Response list = get("/api/v2/variables?variable_key_pattern=%25password", Role.VIEWER);
    assertThat(texts(list.json().get("variables"), "key")).containsExactly("smtp_password");
    assertThat(list.body()).doesNotContain("hunter2");
    assertThat(get("/api/v2/variables/warehouse", Role.VIEWER).body()).doesNotContain("tok-12345");
  }

  @Test
  void variablesAreChangedAndDeletedAsTheCliDoes() {
    Response created =
        as(Role.OP, "POST", "/api/v2/variables", "{\"key\": \"region\", \"value\": \"eu\"}");
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().get("value").asText()).isEqualTo("eu");
    assertThat(
            as(Role.OP, "POST", "/api/v2/variables", "{\"key\": \"region\", \"value\": \"x\"}")
                .status())
        .isEqualTo(409);

    Response patched =
        as(
            Role.OP,
            "PATCH",
            "/api/v2/variables/region",
            "{\"value\": \"us\", \"description\": \"d\"}");
    assertThat(patched.status()).as(patched.body()).isEqualTo(200);
    assertThat(patched.json().get("value").asText()).isEqualTo("us");
    assertThat(patched.json().get("description").asText()).isEqualTo("d");
    assertThat(lastAudit().event()).isEqualTo("variable.set");

    Response onlyDescription =
        as(
            Role.OP,
            "PATCH",
            "/api/v2/variables/region?update_mask=description",
            "{\"value\": \"ignored\"}");
    assertThat(onlyDescription.json().get("value").asText()).isEqualTo("us");
    assertThat(onlyDescription.json().get("description").isNull()).isTrue();

    assertThat(as(Role.OP, "PATCH", "/api/v2/variables/region", "{\"key\": \"other\"}").status())
        .isEqualTo(400);
    assertThat(as(Role.OP, "DELETE", "/api/v2/variables/region", null).status()).isEqualTo(204);
    assertThat(lastAudit().event()).isEqualTo("variable.delete");
    assertThat(get("/api/v2/variables/region", Role.VIEWER).status()).isEqualTo(404);
    assertThat(as(Role.OP, "DELETE", "/api/v2/variables/region", null).status()).isEqualTo(404);

    Response badKey =
        as(Role.OP, "POST", "/api/v2/variables", "{\"key\": \"a b\", \"value\": \"x\"}");
    assertThat(badKey.status()).isEqualTo(422);
    assertThat(badKey.detail()).startsWith("key:");
  }

  // --- connections ---

  @Test
  void aConnectionsPasswordIsTakenButNeverReturned() {
    String body =
        """
        {"connection_id": "warehouse", "conn_type": "postgresql", "host": "db.example.com",
         "port": 5432, "login": "etl", "password": "s3cret-pw", "schema": "orders",
         "description": "the warehouse", "extra": "{\\"sslmode\\": \\"require\\", \\"api_key\\": \\"k-98765\\"}"}
        """;
    Response created = as(Role.OP, "POST", "/api/v2/connections", body);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonNode c = created.json();
    assertThat(c.get("connection_id").asText()).isEqualTo("warehouse");
    assertThat(c.get("conn_type").asText()).isEqualTo("postgres");
    assertThat(c.get("host").asText()).isEqualTo("db.example.com");
    assertThat(c.get("port").asInt()).isEqualTo(5432);
    assertThat(c.has("password")).isFalse();
    assertThat(c.get("extra").asText()).isEqualTo("{\"sslmode\":\"require\",\"api_key\":\"***\"}");
    assertThat(created.body()).doesNotContain("s3cret-pw").doesNotContain("k-98765");
    Connection stored = new ConnectionActions(db, fernetKeys).get("warehouse").orElseThrow();
    assertThat(stored.password()).isEqualTo("s3cret-pw");
    assertThat(stored.extra()).containsEntry("api_key", "k-98765");
    assertThat(lastAudit().event()).isEqualTo("connection.add");
    assertThat(lastAudit().extra()).doesNotContain("s3cret");

    Response hostOnly =
        as(Role.OP, "PATCH", "/api/v2/connections/warehouse", "{\"host\": \"db2.example.com\"}");
    assertThat(hostOnly.status()).as(hostOnly.body()).isEqualTo(200);
    assertThat(hostOnly.json().get("host").asText()).isEqualTo("db2.example.com");
    assertThat(hostOnly.json().get("login").asText()).isEqualTo("etl");
    assertThat(new ConnectionActions(db, fernetKeys).get("warehouse").orElseThrow().password())
        .as("a patch without the password keeps it")
        .isEqualTo("s3cret-pw");
    assertThat(lastAudit().event()).isEqualTo("connection.set");

    Response cleared =
        as(
            Role.OP,
            "PATCH",
            "/api/v2/connections/warehouse?update_mask=password,extra",
            "{\"host\": \"ignored\"}");
    assertThat(cleared.status()).as(cleared.body()).isEqualTo(200);
    assertThat(cleared.json().get("extra").isNull()).isTrue();
    assertThat(cleared.json().get("host").asText()).isEqualTo("db2.example.com");
    assertThat(new ConnectionActions(db, fernetKeys).get("warehouse").orElseThrow().password())
        .isNull();

    Response all = get("/api/v2/connections", Role.VIEWER);
    assertThat(texts(all.json().get("connections"), "connection_id")).contains("warehouse");
    assertThat(all.body()).doesNotContain("s3cret-pw");
    assertThat(as(Role.OP, "POST", "/api/v2/connections", body).status()).isEqualTo(409);

    assertThat(as(Role.OP, "DELETE", "/api/v2/connections/warehouse", null).status())
        .isEqualTo(204);
    assertThat(lastAudit().event()).isEqualTo("connection.delete");
    assertThat(get("/api/v2/connections/warehouse", Role.VIEWER).status()).isEqualTo(404);
  }

  @Test
  void aPasswordInsideAConnectionsHostIsMasked() {
    Response created =
        as(
            Role.OP,
            "POST",
            "/api/v2/connections",
            "{\"connection_id\": \"raw\", \"conn_type\": \"jdbc\", \"password\": \"pw-inside-url\","
                + " \"host\": \"jdbc:postgresql://db/x?password=pw-inside-url\","
                + " \"extra\": {\"nested\": {\"client_secret\": \"abcdef\"}}}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().get("host").asText())
        .isEqualTo("jdbc:postgresql://db/x?password=***");
    assertThat(created.json().get("extra").asText())
        .isEqualTo("{\"nested\":{\"client_secret\":\"***\"}}");
    assertThat(get("/api/v2/connections/raw", Role.VIEWER).body())
        .doesNotContain("pw-inside-url")
        .doesNotContain("abcdef");
  }

  // --- import errors ---

  @Test
  void importErrorsAreListedAndGotOneByOne() {
    ImportErrorRepository errors = new ImportErrorRepository(db);
    errors.replaceForFile(
        "/dags/broken.yaml",
        List.of(new ImportErrorRepository.Problem(3, 7, "unknown operator 'shel'", "at line 3")),
        NOW);
    ImportErrorRow row = errors.list().getFirst();
    Response list = get("/api/v2/importErrors", Role.VIEWER);
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.json().get("total_entries").asInt()).isEqualTo(1);
    JsonNode e = list.json().get("import_errors").get(0);
    assertThat(e.get("import_error_id").asLong()).isEqualTo(row.id());
    assertThat(e.get("filename").asText()).isEqualTo("/dags/broken.yaml");
    assertThat(e.get("bundle_name").asText()).isEqualTo("dags-folder");
    assertThat(e.get("timestamp").asText()).isEqualTo("2024-01-05T00:00:00.000Z");
    assertThat(e.get("stack_trace").asText())
        .isEqualTo("unknown operator 'shel' (line 3, column 7)\nat line 3");

    Response one = get("/api/v2/importErrors/" + row.id(), Role.VIEWER);
    assertThat(one.json().get("filename").asText()).isEqualTo("/dags/broken.yaml");
    assertThat(get("/api/v2/importErrors/999999", Role.VIEWER).status()).isEqualTo(404);
    Response notANumber = get("/api/v2/importErrors/abc", Role.VIEWER);
    assertThat(notANumber.status()).isEqualTo(422);
    assertThat(notANumber.detail()).contains("import_error_id");
    errors.clearForFile("/dags/broken.yaml");
  }

  // --- event logs ---

  @Test
  void eventLogsAreFilteredPagedAndGotOneByOne() {
    LogRepository log = new LogRepository(db);
    long a =
        log.record("ev.one", "orders", "load", "r1", "alice", "{\"n\":1}", NOW.plusSeconds(10));
    long b = log.record("ev.two", "orders", null, null, "bob", null, NOW.plusSeconds(20));
    long c =
        log.record(
            "ev.one",
            "cleanup",
            null,
            null,
            "alice",
            "{\"password\":\"pw1234\"}",
            NOW.plusSeconds(30));

    JsonNode ones = get("/api/v2/eventLogs?event=ev.one&order_by=-when", Role.VIEWER).json();
    assertThat(ones.get("total_entries").asInt()).isEqualTo(2);
    assertThat(texts(ones.get("event_logs"), "event_log_id"))
        .containsExactly(Long.toString(c), Long.toString(a));
    JsonNode first = ones.get("event_logs").get(1);
    assertThat(first.get("when").asText()).isEqualTo("2024-01-05T00:00:10.000Z");
    assertThat(first.get("dag_id").asText()).isEqualTo("orders");
    assertThat(first.get("task_id").asText()).isEqualTo("load");
    assertThat(first.get("run_id").asText()).isEqualTo("r1");
    assertThat(first.get("owner").asText()).isEqualTo("alice");
    assertThat(first.get("extra").asText()).isEqualTo("{\"n\":1}");
    assertThat(first.has("logical_date")).isTrue();
    assertThat(ones.get("event_logs").get(0).get("extra").asText())
        .as("a secret-looking field of the extra")
        .isEqualTo("{\"password\":\"***\"}");

    assertThat(
            texts(
                get("/api/v2/eventLogs?dag_id=orders&owner=bob", Role.VIEWER)
                    .json()
                    .get("event_logs"),
                "event_log_id"))
        .containsExactly(Long.toString(b));
    assertThat(
            texts(
                get(
                        "/api/v2/eventLogs?included_events=ev.one,ev.two&excluded_events=ev.two"
                            + "&after=2024-01-05T00:00:05Z&before=2024-01-05T00:00:25Z",
                        Role.VIEWER)
                    .json()
                    .get("event_logs"),
                "event_log_id"))
        .containsExactly(Long.toString(a));
    JsonNode paged =
        get("/api/v2/eventLogs?included_events=ev.one,ev.two&limit=1&offset=1", Role.VIEWER).json();
    assertThat(paged.get("total_entries").asInt()).isEqualTo(3);
    assertThat(texts(paged.get("event_logs"), "event_log_id")).containsExactly(Long.toString(b));

    assertThat(get("/api/v2/eventLogs/" + b, Role.VIEWER).json().get("event").asText())
        .isEqualTo("ev.two");
    assertThat(get("/api/v2/eventLogs/999999", Role.VIEWER).status()).isEqualTo(404);
    Response badDate = get("/api/v2/eventLogs?before=yesterday", Role.VIEWER);
    assertThat(badDate.status()).isEqualTo(422);
    assertThat(badDate.detail()).contains("before");
    Response badOrder = get("/api/v2/eventLogs?order_by=extra", Role.VIEWER);
    assertThat(badOrder.status()).isEqualTo(400);
    assertThat(badOrder.detail()).contains("order_by");
  }

  // --- users ---

  @Test
  void usersAreListedWithoutTheirPasswordsAndManagedAsTheCliDoes() {
    Response list = get("/auth/fab/v1/users", Role.ADMIN);
    assertThat(list.status()).isEqualTo(200);
    assertThat(texts(list.json().get("users"), "username")).contains("admin", "viewer");
    JsonNode admin = get("/auth/fab/v1/users/admin", Role.ADMIN).json();
    assertThat(admin.get("roles").get(0).get("name").asText()).isEqualTo("Admin");
    assertThat(list.body()).doesNotContain("password").doesNotContain("$2");

    Response created =
        as(
            Role.ADMIN,
            "POST",
            "/auth/fab/v1/users",
            "{\"username\": \"carol\", \"password\": \"carols-password\", \"roles\": [{\"name\":"
                + " \"Op\"}]}");
    assertThat(created.status()).as(created.body()).isEqualTo(200);
    assertThat(created.json().get("roles").get(0).get("name").asText()).isEqualTo("Op");
    assertThat(created.body()).doesNotContain("carols-password");
    assertThat(new UserRepository(db).get("carol").orElseThrow().role()).isEqualTo("op");
    assertThat(lastAudit().event()).isEqualTo("user.create");
    assertThat(lastAudit().owner()).isEqualTo("admin");
    assertThat(signIn("carol", "carols-password")).isEqualTo(201);
    assertThat(
            as(
                    Role.ADMIN,
                    "POST",
                    "/auth/fab/v1/users",
                    "{\"username\": \"carol\", \"password\": \"another-pass\", \"roles\":"
                        + " [{\"name\": \"Viewer\"}]}")
                .status())
        .isEqualTo(409);

    Response demoted =
        as(
            Role.ADMIN,
            "PATCH",
            "/auth/fab/v1/users/carol",
            "{\"roles\": [{\"name\": \"viewer\"}]}");
    assertThat(demoted.status()).as(demoted.body()).isEqualTo(200);
    assertThat(demoted.json().get("roles").get(0).get("name").asText()).isEqualTo("Viewer");
    assertThat(lastAudit().event()).isEqualTo("user.set_role");

    Response newPassword =
        as(
            Role.ADMIN,
            "PATCH",
            "/auth/fab/v1/users/carol?update_mask=password",
            "{\"password\": \"carols-new-password\", \"roles\": [{\"name\": \"Admin\"}]}");
    assertThat(newPassword.status()).as(newPassword.body()).isEqualTo(200);
    assertThat(newPassword.json().get("roles").get(0).get("name").asText())
        .as("roles is not in the mask")
        .isEqualTo("Viewer");
    assertThat(signIn("carol", "carols-password")).isEqualTo(401);
    assertThat(signIn("carol", "carols-new-password")).isEqualTo(201);

    assertThat(as(Role.ADMIN, "DELETE", "/auth/fab/v1/users/carol", null).status()).isEqualTo(204);
    assertThat(lastAudit().event()).isEqualTo("user.delete");
    assertThat(get("/auth/fab/v1/users/carol", Role.ADMIN).status()).isEqualTo(404);
    assertThat(as(Role.ADMIN, "DELETE", "/auth/fab/v1/users/carol", null).status()).isEqualTo(404);
  }

  private int signIn(String username, String password) {
    return send(
            "POST",
            "/auth/token",
            null,
            "{\"username\": \"" + username + "\", \"password\": \"" + password + "\"}")
        .status();
  }

  // --- DAG source, details, tasks ---

  @Test
  void aDagsSourceIsItsFileInTheDagsFolder() {
    Response source = get("/api/v2/dagSources/orders", Role.VIEWER);
    assertThat(source.status()).as(source.body()).isEqualTo(200);
    assertThat(source.json().get("content").asText()).isEqualTo(ORDERS_SOURCE);
    assertThat(source.json().get("dag_id").asText()).isEqualTo("orders");
    assertThat(source.json().get("version_number").asInt()).isEqualTo(1);
    assertThat(get("/api/v2/dagSources/orders?version_number=1", Role.VIEWER).status())
        .isEqualTo(200);
    assertThat(get("/api/v2/dagSources/orders?version_number=7", Role.VIEWER).status())
        .isEqualTo(404);

    Response missingFile = get("/api/v2/dagSources/cleanup", Role.VIEWER);
    assertThat(missingFile.status()).isEqualTo(404);
    assertThat(missingFile.detail()).contains("cleanup.yaml");
    assertThat(get("/api/v2/dagSources/nope", Role.VIEWER).status()).isEqualTo(404);
  }

  @Test
  void aDagsSourceOutsideTheDagsFolderIsNotRead() throws Exception {
    Path outside = Files.createTempFile("updraft-outside", ".yaml");
    Files.writeString(outside, "top secret");
    Path link = dagsFolder.resolve("linked.yaml");
    try {
      Files.createSymbolicLink(link, outside);
      DagRepository dags = new DagRepository(db);
      dags.upsert(
          io.updraft.sdk.Dags.dag("escaped").task(io.updraft.sdk.Tasks.shell("t", "true")).build(),
          "../" + outside.getFileName(),
          true,
          NOW);
      dags.upsert(
          io.updraft.sdk.Dags.dag("linked").task(io.updraft.sdk.Tasks.shell("t", "true")).build(),
          "linked.yaml",
          true,
          NOW);
      for (String dagId : List.of("escaped", "linked")) {
        Response r = get("/api/v2/dagSources/" + dagId, Role.VIEWER);
        assertThat(r.status()).as(dagId).isEqualTo(404);
        assertThat(r.body()).doesNotContain("top secret");
      }
    } finally {
      new DagRepository(db).deactivate(List.of("escaped", "linked"));
      Files.deleteIfExists(link);
      Files.deleteIfExists(outside);
    }
  }

  @Test
  void aDagsDetailsAndTasksComeFromItsSerializedForm() {
    Response details = get("/api/v2/dags/orders/details", Role.VIEWER);
    assertThat(details.status()).as(details.body()).isEqualTo(200);
    JsonNode d = details.json();
    assertThat(d.get("dag_id").asText()).isEqualTo("orders");
    assertThat(d.get("timetable_summary").asText()).isEqualTo("@daily");
    assertThat(d.get("start_date").asText()).isEqualTo("2024-01-01T00:00:00.000Z");
    assertThat(d.get("timezone").asText()).isEqualTo("UTC");
    assertThat(d.get("catchup").isBoolean()).isTrue();
    assertThat(texts(d.get("tags"), "name")).containsExactlyInAnyOrder("sales", "daily");
    assertThat(d.get("latest_dag_version").get("version_number").asInt()).isEqualTo(1);
    assertThat(d.get("params").isObject()).isTrue();
    assertThat(get("/api/v2/dags/nope/details", Role.VIEWER).status()).isEqualTo(404);

    Response tasks = get("/api/v2/dags/orders/tasks", Role.VIEWER);
    assertThat(tasks.status()).isEqualTo(200);
    assertThat(tasks.json().get("total_entries").asInt()).isEqualTo(2);
    assertThat(texts(tasks.json().get("tasks"), "task_id")).containsExactly("extract", "load");
    JsonNode extract = tasks.json().get("tasks").get(0);
    assertThat(extract.get("downstream_task_ids").get(0).asText()).isEqualTo("load");
    assertThat(extract.get("operator_name").asText()).isEqualTo("shell");
    assertThat(extract.get("trigger_rule").asText()).isEqualTo("all_success");
    assertThat(extract.get("pool").asText()).isEqualTo("default_pool");
    assertThat(extract.get("retry_delay").get("__type").asText()).isEqualTo("TimeDelta");
    assertThat(
            texts(
                get("/api/v2/dags/orders/tasks?order_by=-task_id", Role.VIEWER).json().get("tasks"),
                "task_id"))
        .containsExactly("load", "extract");
    assertThat(get("/api/v2/dags/orders/tasks?order_by=pool", Role.VIEWER).status()).isEqualTo(400);
    JsonNode load = get("/api/v2/dags/orders/tasks/load", Role.VIEWER).json();
    assertThat(load.get("downstream_task_ids")).isEmpty();
    Response noTask = get("/api/v2/dags/orders/tasks/nope", Role.VIEWER);
    assertThat(noTask.status()).isEqualTo(404);
    assertThat(noTask.detail()).contains("nope");
  }

  // --- the API browser ---

  @Test
  void theApiBrowserIsServedFromTheWebJarWithoutSignIn() {
    Response page = send("GET", "/docs", null, null);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("swagger-ui-bundle.js").contains("<div id=\"swagger-ui\">");
    assertThat(page.body()).doesNotContain("https://");
    Response js = send("GET", "/docs/swagger-ui-bundle.js", null, null);
    assertThat(js.status()).isEqualTo(200);
    assertThat(js.body()).contains("SwaggerUIBundle");
    assertThat(send("GET", "/docs/swagger-ui.css", null, null).status()).isEqualTo(200);
    assertThat(send("GET", "/docs/swagger-initializer.js", null, null).body())
        .contains("\"/openapi.json\"");
    assertThat(send("GET", "/docs/pom.properties", null, null).status()).isEqualTo(404);
    assertThat(send("GET", "/docs/..%2F..%2Fpom.properties", null, null).status()).isEqualTo(404);
  }
}
