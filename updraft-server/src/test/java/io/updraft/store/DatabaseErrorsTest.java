package io.updraft.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a user sees when the database cannot be used: one line, no password, what to check. */
class DatabaseErrorsTest {
  @TempDir Path dir;

  @Test
  void unreachablePostgresNamesTheUrlWithoutItsPassword() {
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    String url = "jdbc:postgresql://127.0.0.1:1/test?user=u&password=s3cret";
    assertThatThrownBy(() -> Database.open(url))
        .isInstanceOf(DatabaseException.class)
        .hasMessageStartingWith("cannot connect to jdbc:postgresql://127.0.0.1:1/test?user=u: ")
        .hasMessageContaining("refused")
        .hasMessageEndingWith(" — is the database running? check --db-url / UPDRAFT_DB_URL")
        .satisfies(DatabaseErrorsTest::noSecretAnywhere);
  }

  @Test
  void unreachableMysqlNamesTheUrlWithoutItsPassword() {
    String url = "jdbc:mysql://root:s3cret@127.0.0.1:1/test?password=s3cret";
    assertThatThrownBy(() -> Database.open(url))
        .isInstanceOf(DatabaseException.class)
        .hasMessageStartingWith("cannot connect to jdbc:mysql://root@127.0.0.1:1/test: ")
        .hasMessageEndingWith(" — is the database running? check --db-url / UPDRAFT_DB_URL")
        .satisfies(DatabaseErrorsTest::noSecretAnywhere);
  }

  @Test
  void passwordGivenSeparatelyIsMaskedInDriverMessages() {
    DatabaseConfig config =
        DatabaseConfig.of("jdbc:mariadb://127.0.0.1:1/test").withCredentials("root", "s3cret");
    assertThatThrownBy(() -> Database.open(config))
        .isInstanceOf(DatabaseException.class)
        .hasMessageStartingWith("cannot connect to jdbc:mariadb://127.0.0.1:1/test: ")
        .satisfies(DatabaseErrorsTest::noSecretAnywhere);
  }

  @Test
  void missingH2DatabaseAsksWhetherItExists() {
    String url = "jdbc:h2:file:" + dir.resolve("none") + ";IFEXISTS=TRUE";
    assertThatThrownBy(() -> Database.open(url))
        .isInstanceOf(DatabaseException.class)
        .hasMessageStartingWith("cannot connect to " + url + ": ")
        .hasMessageEndingWith(
            " — does the database exist? create it or check --db-url / UPDRAFT_DB_URL");
  }

  @Test
  void unsupportedUrlListsTheSupportedOnes() {
    assertThatThrownBy(() -> Database.open("jdbc:sqlite:/tmp/x.db?password=s3cret"))
        .isInstanceOf(DatabaseException.class)
        .hasMessage(
            "unsupported database URL jdbc:sqlite:/tmp/x.db: use jdbc:h2:, jdbc:postgresql:,"
                + " jdbc:mysql: or jdbc:mariadb: (check --db-url / UPDRAFT_DB_URL)");
  }

  @Test
  void messagesAreOneLine() {
    assertThatThrownBy(() -> Database.open("jdbc:postgresql://127.0.0.1:1/test"))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void defaultUrlIsAnAutoServerH2FileInTheHome() {
    assertThat(DatabaseConfig.defaultUrl(Path.of("/srv/updraft")))
        .isEqualTo("jdbc:h2:file:/srv/updraft/updraft;AUTO_SERVER=TRUE;WRITE_DELAY=0");
    assertThatThrownBy(() -> DatabaseConfig.defaultUrl(Path.of("/srv/a;b")))
        .hasMessageContaining("contains ';'");
  }

  private static void noSecretAnywhere(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      assertThat(String.valueOf(t.getMessage())).doesNotContain("s3cret");
      assertThat(t.toString()).doesNotContain("s3cret");
    }
  }
}
