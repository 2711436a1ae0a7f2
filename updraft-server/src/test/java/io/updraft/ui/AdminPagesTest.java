package io.updraft.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.api.Role;
import io.updraft.store.ImportErrorRepository;
import io.updraft.store.LogRepository;
import io.updraft.store.LogRow;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pools, variables, connections, import errors, the audit log and users over real HTTP on H2: who
 * may read and write, writes audited with the username, bad input shown on the form with a 4xx,
 * user data escaped, passwords and secret values never on a page.
 */
class AdminPagesTest extends UiServerTestBase {

  @Override
  void seed() {
    new ImportErrorRepository(db)
        .replaceForFile(
            "broken.yaml",
            List.of(new ImportErrorRepository.Problem(3, 1, "bad <yaml>", "trace line")),
            NOW);
  }

  @Test
  void eachPageRendersForItsRoleAnd403ForASmallerOne() throws Exception {
    for (String path :
        List.of("/pools", "/variables", "/connections", "/import-errors", "/audit-log")) {
      assertThat(get(Role.VIEWER, path).statusCode()).as(path).isEqualTo(200);
      assertThat(send("GET", path, null, null).statusCode()).as(path).isEqualTo(302);
    }
    assertThat(get(Role.VIEWER, "/import-errors").body())
        .contains("broken.yaml")
        .contains("bad &lt;yaml&gt;")
        .contains("trace line");
    assertThat(get(Role.OP, "/users").statusCode()).isEqualTo(403);
    assertThat(get(Role.ADMIN, "/users").statusCode()).isEqualTo(200);
    assertThat(get(Role.VIEWER, "/pools").body()).doesNotContain("href=\"/users\"");
    assertThat(get(Role.ADMIN, "/pools").body()).contains("href=\"/users\"");
    assertThat(get(Role.VIEWER, "/pools").body()).doesNotContain("action=\"/pools\"");
    assertThat(post(Role.USER, "/pools", "name", "p", "slots", "1").statusCode()).isEqualTo(403);
    assertThat(post(Role.USER, "/variables", "key", "k", "value", "v").statusCode()).isEqualTo(403);
    assertThat(post(Role.OP, "/users", "username", "x", "role", "viewer", "password", "pw-long-1"))
        .extracting(HttpResponse::statusCode)
        .isEqualTo(403);
  }

  @Test
  void anOpWritesPoolsThroughTheSharedRulesAudited() throws Exception {
    HttpResponse<String> r =
        post(Role.OP, "/pools", "name", "etl", "slots", "3", "description", "<b>x</b>");
    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(r.headers().firstValue("Location")).hasValue("/pools");
    assertThat(get(Role.VIEWER, "/pools").body()).contains("etl").contains("&lt;b&gt;x&lt;/b&gt;");
    assertThat(audited("op", "pool.set")).isTrue();
    HttpResponse<String> bad = post(Role.OP, "/pools", "name", "etl", "slots", "many");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("role=\"alert\"").contains("slots must be a whole number");
    assertThat(post(Role.OP, "/pools/etl/delete").statusCode()).isEqualTo(303);
    assertThat(post(Role.OP, "/pools/etl/delete").statusCode()).isEqualTo(404);
    assertThat(post(Role.OP, "/pools/default_pool/delete").statusCode()).isBetween(400, 499);
  }

  @Test
  void variablesAreEscapedAndSecretValuesMasked() throws Exception {
    assertThat(post(Role.OP, "/variables", "key", "greeting", "value", "<script>x()</script>"))
        .extracting(HttpResponse::statusCode)
        .isEqualTo(303);
    assertThat(post(Role.OP, "/variables", "key", "db_password", "value", "hunter2-secret"))
        .extracting(HttpResponse::statusCode)
        .isEqualTo(303);
    String page = get(Role.VIEWER, "/variables").body();
    assertThat(page)
        .contains("&lt;script&gt;x()&lt;/script&gt;")
        .doesNotContain("<script>x()")
        .contains("db_password")
        .doesNotContain("hunter2-secret");
    assertThat(audited("op", "variable.set")).isTrue();
    HttpResponse<String> bad = post(Role.OP, "/variables", "key", "", "value", "v");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("key is required");
  }

  @Test
  void connectionPasswordsAreNeverOnAPage() throws Exception {
    assertThat(
            post(
                Role.OP,
                "/connections",
                "conn_id",
                "warehouse",
                "conn_type",
                "postgres",
                "host",
                "db.example",
                "login",
                "ann",
                "password",
                "pw-never-shown",
                "extra",
                "{\"api_token\": \"tok-never-shown\", \"timeout\": 30}"))
        .extracting(HttpResponse::statusCode)
        .isEqualTo(303);
    // a second save without a password keeps the stored one
    assertThat(
            post(
                Role.OP,
                "/connections",
                "conn_id",
                "warehouse",
                "conn_type",
                "postgres",
                "host",
                "db2.example"))
        .extracting(HttpResponse::statusCode)
        .isEqualTo(303);
    String page = get(Role.VIEWER, "/connections").body();
    assertThat(page).contains("warehouse").contains("db2.example").contains(">set<");
    for (String path : List.of("/connections", "/audit-log", "/variables", "/pools")) {
      assertThat(get(Role.ADMIN, path).body())
          .as(path)
          .doesNotContain("pw-never-shown")
          .doesNotContain("tok-never-shown");
    }
    HttpResponse<String> bad =
        post(Role.OP, "/connections", "conn_id", "w2", "conn_type", "x", "extra", "[1");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).contains("extra must be a JSON object");
    assertThat(audited("op", "connection.set")).isTrue();
  }

  @Test
  void anAdminManagesUsers() throws Exception {
    HttpResponse<String> r =
        post(Role.ADMIN, "/users", "username", "bob", "role", "user", "password", "bob-pass-123");
    assertThat(r.statusCode()).isEqualTo(303);
    String page = get(Role.ADMIN, "/users").body();
    assertThat(page).contains("bob").doesNotContain("bob-pass-123").doesNotContain("$argon");
    assertThat(
            post(Role.ADMIN, "/users", "username", "eve", "role", "king", "password", "p-123456"))
        .extracting(HttpResponse::statusCode)
        .isEqualTo(400);
    assertThat(post(Role.ADMIN, "/users/bob/password", "password", "bob-pass-456").statusCode())
        .isEqualTo(303);
    assertThat(send("POST", "/login", null, form("username", "bob", "password", "bob-pass-456")))
        .extracting(HttpResponse::statusCode)
        .isEqualTo(303);
    assertThat(post(Role.ADMIN, "/users/bob/delete").statusCode()).isEqualTo(303);
    assertThat(get(Role.ADMIN, "/users").body()).doesNotContain(">bob<");
    assertThat(post(Role.ADMIN, "/users/admin/delete").statusCode()).isEqualTo(400);
  }

  @Test
  void theAuditLogIsNewestFirstAndFiltered() throws Exception {
    post(Role.OP, "/pools", "name", "audit_a", "slots", "1");
    post(Role.ADMIN, "/pools", "name", "audit_b", "slots", "2");
    HttpResponse<String> all = get(Role.VIEWER, "/audit-log");
    assertThat(all.statusCode()).isEqualTo(200);
    HttpResponse<String> byOp = get(Role.VIEWER, "/audit-log?owner=op&event=pool.set");
    assertThat(byOp.body()).contains("audit_a").doesNotContain("audit_b");
    String admins = get(Role.VIEWER, "/audit-log?owner=admin").body();
    assertThat(admins).contains("audit_b");
    assertThat(get(Role.VIEWER, "/audit-log?offset=-5").statusCode()).isEqualTo(400);
  }

  private boolean audited(String who, String event) {
    List<LogRow> rows = new LogRepository(db).recent(200);
    return rows.stream().anyMatch(r -> who.equals(r.owner()) && event.equals(r.event()));
  }
}
