package io.updraft.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The {@code users} and {@code api_secret} tables, on every backend. */
abstract class UserRepositoryContractTest extends RepositoryContractTest {
  UserRepository users() {
    return new UserRepository(db);
  }

  @Test
  void createsReadsListsAndDeletesUsers() {
    assertThat(users().create("bob", "$2a$hash-b", "viewer", T0)).isTrue();
    assertThat(users().create("alice", "$2a$hash-a", "admin", T0.plusSeconds(1))).isTrue();
    assertThat(users().create("alice", "$2a$other", "viewer", T0)).as("taken").isFalse();

    assertThat(users().get("alice"))
        .contains(
            new UserRow(
                "alice", "$2a$hash-a", "admin", T0.plusSeconds(1), T0.plusSeconds(1), 0, null));
    assertThat(users().list()).extracting(UserRow::username).containsExactly("alice", "bob");
    assertThat(users().count()).isEqualTo(2);

    assertThat(users().delete("bob")).isTrue();
    assertThat(users().delete("bob")).isFalse();
    assertThat(users().list()).extracting(UserRow::username).containsExactly("alice");
  }

  @Test
  void usernamesAreCaseSensitiveOnEveryDatabase() {
    assertThat(users().create("Alice", "h1", "viewer", T0)).isTrue();
    assertThat(users().create("alice", "h2", "viewer", T0)).isTrue();
    assertThat(users().get("ALICE")).isEmpty();
  }

  @Test
  void countsFailedSignInsUntilAGoodOneOrANewPassword() {
    users().create("alice", "h1", "user", T0);
    users().recordFailedLogin("alice", T0.plusSeconds(1));
    users().recordFailedLogin("alice", T0.plusSeconds(2));
    UserRow after = users().get("alice").orElseThrow();
    assertThat(after.failedLogins()).isEqualTo(2);
    assertThat(after.lastFailedLogin()).isEqualTo(T0.plusSeconds(2));

    users().recordGoodLogin("alice");
    assertThat(users().get("alice").orElseThrow().failedLogins()).isZero();
    assertThat(users().get("alice").orElseThrow().lastFailedLogin()).isNull();

    users().recordFailedLogin("alice", T0.plusSeconds(3));
    assertThat(users().setPasswordHash("alice", "h2", T0.plusSeconds(4))).isTrue();
    UserRow reset = users().get("alice").orElseThrow();
    assertThat(reset.passwordHash()).isEqualTo("h2");
    assertThat(reset.changedAt()).isEqualTo(T0.plusSeconds(4));
    assertThat(reset.createdAt()).isEqualTo(T0);
    assertThat(reset.failedLogins()).isZero();
    assertThat(users().setPasswordHash("nobody", "h", T0)).isFalse();
  }

  @Test
  void theHashNeverShowsInARowsText() {
    users().create("alice", "$2a$12$secret-hash", "user", T0);
    assertThat(users().get("alice").orElseThrow().toString()).doesNotContain("secret-hash");
  }

  @Test
  void aSecretIsGeneratedOnceAndSharedByEveryServer() {
    ApiSecretRepository secrets = new ApiSecretRepository(db);
    AtomicInteger generated = new AtomicInteger();
    String first = secrets.getOrCreate("k", () -> "s" + generated.incrementAndGet(), T0);
    String second =
        onOtherThread(
            () ->
                new ApiSecretRepository(db)
                    .getOrCreate("k", () -> "s" + generated.incrementAndGet(), T0));
    assertThat(first).isEqualTo("s1");
    assertThat(second).isEqualTo("s1");
    assertThat(generated).hasValue(1);
    assertThat(secrets.get("other")).isEmpty();
  }

  @Test
  void twoServersCreatingTheSecretAtOnceAgreeOnOne() {
    ApiSecretRepository secrets = new ApiSecretRepository(db);
    // The second generates while the first has checked and not yet stored: both must get "mine".
    String got =
        secrets.getOrCreate(
            "k",
            () -> {
              onOtherThread(() -> new ApiSecretRepository(db).getOrCreate("k", () -> "theirs", T0));
              return "mine";
            },
            T0);
    assertThat(got).isEqualTo("theirs");
    assertThat(secrets.get("k")).contains("theirs");
  }
}
