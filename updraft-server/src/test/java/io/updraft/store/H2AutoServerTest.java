package io.updraft.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.e2e.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default database is an H2 file that several processes use at once (AUTO_SERVER): the first
 * opener serves it, the others connect through it.
 */
class H2AutoServerTest {
  @TempDir Path home;

  @Test
  void twoDatabasesInOneJvmShareTheFile() {
    String url = DatabaseConfig.defaultUrl(home);
    try (Database a = Database.open(url);
        Database b = Database.open(url)) {
      a.migrate();
      b.check();
      new PoolRepository(a).set(new Pool("from_a", 1, null, false));
      assertThat(new PoolRepository(b).get("from_a")).isPresent();
    }
  }

  @Test
  void aSecondProcessOpensTheFileWhileTheFirstHasItOpen() throws Exception {
    String url = DatabaseConfig.defaultUrl(home);
    try (Database first = Database.open(url)) {
      first.migrate();
      new PoolRepository(first).set(new Pool("from_parent", 1, null, false));

      try (ChildJvm child =
          ChildJvm.start("child", home, Map.of(), H2SecondProcess.class.getName(), List.of(url))) {
        assertThat(child.awaitExit(Duration.ofSeconds(60))).as(child.describe()).isZero();
        assertThat(child.output()).contains("saw from_parent");
      }
      assertThat(new PoolRepository(first).get("from_child")).isPresent();
    }
  }

  /** The second process: checks the schema, reads the parent's pool, writes its own. */
  static final class H2SecondProcess {
    private H2SecondProcess() {}

    public static void main(String[] args) {
      try (Database db = Database.open(args[0])) {
        db.check();
        PoolRepository pools = new PoolRepository(db);
        List<String> names = pools.list().stream().map(Pool::name).toList();
        if (names.contains("from_parent")) {
          System.out.println("saw from_parent");
        }
        pools.set(new Pool("from_child", 2, null, false));
      }
    }
  }
}
