package io.updraft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the CLI finds its home, dags folder and database: options, then environment, then defaults.
 */
class SettingsTest {
  @TempDir Path tmp;

  @Test
  void environmentVariablesSetHomeDagsAndDatabase() {
    Settings s =
        Settings.resolve(
            null,
            null,
            null,
            Map.of(
                "UPDRAFT_HOME", tmp.toString(),
                "UPDRAFT_DAGS_FOLDER", tmp.resolve("my-dags").toString(),
                "UPDRAFT_DB_URL", "jdbc:postgresql://db/updraft"));
    assertThat(s.home()).isEqualTo(tmp);
    assertThat(s.dagsFolder()).isEqualTo(tmp.resolve("my-dags"));
    assertThat(s.dbUrl()).isEqualTo("jdbc:postgresql://db/updraft");
  }

  @Test
  void optionsWinOverTheEnvironment() {
    Settings s =
        Settings.resolve(
            tmp.resolve("h"),
            "jdbc:h2:mem:x",
            tmp.resolve("d"),
            Map.of("UPDRAFT_HOME", "/elsewhere", "UPDRAFT_DAGS_FOLDER", "/elsewhere/dags"));
    assertThat(s.home()).isEqualTo(tmp.resolve("h"));
    assertThat(s.dagsFolder()).isEqualTo(tmp.resolve("d"));
    assertThat(s.dbUrl()).isEqualTo("jdbc:h2:mem:x");
  }

  @Test
  void defaultsLiveInTheHome() {
    Settings s = Settings.resolve(tmp, null, null, Map.of());
    assertThat(s.dagsFolder()).isEqualTo(tmp.resolve("dags"));
    assertThat(s.dbUrl())
        .startsWith("jdbc:h2:file:" + tmp.resolve("updraft"))
        .contains("AUTO_SERVER=TRUE");
  }
}
