package io.updraft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.updraft.api.Passwords;
import io.updraft.store.Database;
import io.updraft.store.DatabaseConfig;
import io.updraft.store.LogRepository;
import io.updraft.store.LogRow;
import io.updraft.store.UserRepository;
import io.updraft.store.UserRow;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code updraft users create | list | delete | reset-password} on a home's database. */
class UsersCommandTest {
  private static final Pattern PRINTED =
      Pattern.compile("password: ([A-Za-z0-9]{20})  \\(shown once");

  @TempDir Path home;

  private CliRun run(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--home";
    all[1] = home.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    return CliRun.of(all);
  }

  private CliRun runWithStdin(String stdin, String... args) {
    InputStream saved = System.in;
    System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    try {
      return run(args);
    } finally {
      System.setIn(saved);
    }
  }

  private UserRow stored(String username) {
    try (Database db = Database.open(DatabaseConfig.defaultUrl(home))) {
      return new UserRepository(db).get(username).orElseThrow();
    }
  }

  @BeforeEach
  void migrated() {
    assertThat(run("db", "migrate").exitCode()).isZero();
  }

  @Test
  void createWithoutAPasswordPrintsARandomOneOnce() {
    CliRun created = run("users", "create", "alice", "--role", "Op");
    assertThat(created.exitCode()).as(created.err()).isZero();
    Matcher m = PRINTED.matcher(created.out());
    assertThat(m.find()).as(created.out()).isTrue();
    UserRow alice = stored("alice");
    assertThat(alice.role()).isEqualTo("op");
    assertThat(alice.passwordHash()).doesNotContain(m.group(1)).startsWith("$2");
    assertThat(Passwords.matches(m.group(1), alice.passwordHash())).isTrue();
  }

  @Test
  void createReadsThePasswordFromStdinAndPrintsNone() {
    CliRun created =
        runWithStdin(
            "correct horse battery\n",
            "users",
            "create",
            "bob",
            "--role",
            "viewer",
            "--password-stdin");
    assertThat(created.exitCode()).as(created.err()).isZero();
    assertThat(created.out()).doesNotContain("password:").doesNotContain("correct horse");
    assertThat(Passwords.matches("correct horse battery", stored("bob").passwordHash())).isTrue();

    CliRun tooShort =
        runWithStdin("short\n", "users", "create", "carol", "--role", "viewer", "--password-stdin");
    assertThat(tooShort.exitCode()).isEqualTo(2);
    assertThat(tooShort.err()).contains("too short");
  }

  @Test
  void listsUsersAsATableOrJsonWithoutTheirHashes() throws Exception {
    run("users", "create", "alice", "--role", "admin");
    run("users", "create", "bob", "--role", "worker");
    CliRun json = run("users", "list", "--output", "json");
    assertThat(json.exitCode()).isZero();
    JsonNode rows = new ObjectMapper().readTree(json.out());
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).get("username").asText()).isEqualTo("alice");
    assertThat(rows.get(0).get("role").asText()).isEqualTo("admin");
    assertThat(rows.get(1).get("role").asText()).isEqualTo("worker");
    assertThat(json.out()).doesNotContain("$2");
    CliRun table = run("users", "list");
    assertThat(table.out()).contains("alice").contains("worker").doesNotContain("$2");
  }

  @Test
  void deleteAndResetPasswordAreAudited() {
    run("users", "create", "alice", "--role", "user");
    String oldHash = stored("alice").passwordHash();
    CliRun reset = run("users", "reset-password", "alice");
    assertThat(reset.exitCode()).as(reset.err()).isZero();
    assertThat(reset.out()).contains("shown once");
    assertThat(stored("alice").passwordHash()).isNotEqualTo(oldHash);

    CliRun deleted = run("users", "delete", "alice");
    assertThat(deleted.exitCode()).isZero();
    try (Database db = Database.open(DatabaseConfig.defaultUrl(home))) {
      assertThat(new UserRepository(db).get("alice")).isEmpty();
      List<LogRow> log = new LogRepository(db).recent(10);
      assertThat(log)
          .extracting(LogRow::event)
          .containsExactly("user.delete", "user.reset_password", "user.create");
      assertThat(log.getLast().extra()).isEqualTo("{\"role\":\"user\",\"username\":\"alice\"}");
      assertThat(log).allSatisfy(l -> assertThat(l.extra()).doesNotContain("password\":"));
    }
  }

  @Test
  void badInputIsOneLineAndExitTwo() {
    run("users", "create", "alice", "--role", "user");
    CliRun taken = run("users", "create", "alice", "--role", "user");
    assertThat(taken.exitCode()).isEqualTo(2);
    assertThat(taken.err()).contains("exists already");
    CliRun badRole = run("users", "create", "bob", "--role", "superuser");
    assertThat(badRole.exitCode()).isEqualTo(2);
    assertThat(badRole.err())
        .contains("unknown role 'superuser'")
        .contains("viewer, user, op, admin, worker");
    CliRun badName = run("users", "create", "bad name", "--role", "user");
    assertThat(badName.exitCode()).isEqualTo(2);
    assertThat(badName.err()).contains("invalid username");
    assertThat(run("users", "delete", "nobody").err()).contains("there is no user 'nobody'");
    assertThat(run("users", "reset-password", "nobody").exitCode()).isEqualTo(2);
  }
}
