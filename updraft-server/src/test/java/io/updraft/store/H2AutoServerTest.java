package io.updraft.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

      Path out = home.resolve("child.out");
      Process child =
          new ProcessBuilder(
                  javaBinary(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  H2SecondProcess.class.getName(),
                  url)
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      boolean exited = child.waitFor(60, TimeUnit.SECONDS);
      if (!exited) {
        child.destroyForcibly();
      }
      String output = Files.readString(out);
      assertThat(exited).as(output).isTrue();
      assertThat(child.exitValue()).as(output).isZero();
      assertThat(output).contains("saw from_parent");
      assertThat(new PoolRepository(first).get("from_child")).isPresent();
    }
  }

  private static String javaBinary() throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    if (!Files.isExecutable(java)) {
      throw new IOException("no java at " + java);
    }
    return java.toString();
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
