package io.updraft.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.updraft.UpdraftException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpdraftConfigTest {
  @TempDir Path home;

  private UpdraftConfig load(Map<String, String> env) {
    return UpdraftConfig.load(home, env, Map.of());
  }

  private void file(String yaml) throws IOException {
    Files.writeString(home.resolve("updraft.yaml"), yaml);
  }

  @Test
  void defaultsAreSpecs() {
    UpdraftConfig c = load(Map.of());
    assertThat(c.bool(ConfigKey.DAGS_ARE_PAUSED_AT_CREATION)).isTrue();
    assertThat(c.integer(ConfigKey.PARALLELISM)).isEqualTo(32);
    assertThat(c.duration(ConfigKey.TASK_INSTANCE_HEARTBEAT_TIMEOUT))
        .isEqualTo(Duration.ofMinutes(5));
    assertThat(c.duration(ConfigKey.SCHEDULER_HEALTH_CHECK_THRESHOLD))
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(c.duration(ConfigKey.TASK_QUEUED_TIMEOUT)).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.dagsFolder()).isEqualTo(home.resolve("dags"));
    assertThat(c.dbUrl()).isNull();
    assertThat(c.get(ConfigKey.PARALLELISM).source()).isEqualTo("default");
  }

  @Test
  void fileThenEnvironmentThenOptionWin() throws IOException {
    file(
        "core:\n  parallelism: 8\n  dags_are_paused_at_creation: false\nscheduler:\n  task_queued_timeout: 2m\n");
    UpdraftConfig fromFile = load(Map.of());
    assertThat(fromFile.integer(ConfigKey.PARALLELISM)).isEqualTo(8);
    assertThat(fromFile.bool(ConfigKey.DAGS_ARE_PAUSED_AT_CREATION)).isFalse();
    assertThat(fromFile.get(ConfigKey.PARALLELISM).source()).endsWith("updraft.yaml");

    UpdraftConfig fromEnv = load(Map.of("UPDRAFT_CORE_PARALLELISM", "4"));
    assertThat(fromEnv.integer(ConfigKey.PARALLELISM)).isEqualTo(4);
    assertThat(fromEnv.duration(ConfigKey.TASK_QUEUED_TIMEOUT)).isEqualTo(Duration.ofMinutes(2));

    UpdraftConfig fromOption =
        UpdraftConfig.load(
            home,
            Map.of("UPDRAFT_DAGS_FOLDER", "/env/dags", "UPDRAFT_DB_URL", "jdbc:h2:mem:x"),
            Map.of(ConfigKey.DAGS_FOLDER, "/opt/dags"));
    assertThat(fromOption.dagsFolder()).isEqualTo(Path.of("/opt/dags"));
    assertThat(fromOption.dbUrl()).isEqualTo("jdbc:h2:mem:x");
  }

  @Test
  void badValuesNameTheirSource() throws IOException {
    assertThatThrownBy(() -> load(Map.of("UPDRAFT_CORE_PARALLELISM", "0")))
        .isInstanceOf(UpdraftException.class)
        .hasMessageContaining(
            "core.parallelism = '0' from environment variable UPDRAFT_CORE_PARALLELISM")
        .hasMessageContaining("whole number");
    assertThatThrownBy(() -> load(Map.of("UPDRAFT_SCHEDULER_TASK_QUEUED_TIMEOUT", "soon")))
        .hasMessageContaining("duration");
    file("core:\n  dags_are_paused_at_creation: maybe\n");
    assertThatThrownBy(() -> load(Map.of()))
        .hasMessageContaining("updraft.yaml")
        .hasMessageContaining("true or false");
  }

  @Test
  void executorIsLocalRemoteOrKubernetes() {
    assertThat(load(Map.of()).executor()).isEqualTo("local");
    assertThat(load(Map.of("UPDRAFT_CORE_EXECUTOR", "Remote")).executor()).isEqualTo("remote");
    assertThatThrownBy(() -> load(Map.of("UPDRAFT_CORE_EXECUTOR", "celery")))
        .isInstanceOf(UpdraftException.class)
        .hasMessageContaining("core.executor = 'celery'")
        .hasMessageContaining("one of local, remote, kubernetes")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void maxXComSizeTakesBytesOrAUnitAndIsBounded() throws IOException {
    assertThat(load(Map.of()).bytes(ConfigKey.MAX_XCOM_SIZE)).isEqualTo(1024 * 1024);
    for (var e :
        Map.of(
                "4096", 4096,
                "512KiB", 512 * 1024,
                "4 MiB", 4 * 1024 * 1024,
                "2mb", 2_000_000,
                "256MiB", 256 * 1024 * 1024)
            .entrySet()) {
      assertThat(
              load(Map.of("UPDRAFT_CORE_MAX_XCOM_SIZE", e.getKey())).bytes(ConfigKey.MAX_XCOM_SIZE))
          .as(e.getKey())
          .isEqualTo(e.getValue());
    }
    for (String bad : new String[] {"0", "-1", "1TiB", "257MiB", "lots", "1.5MiB"}) {
      assertThatThrownBy(() -> load(Map.of("UPDRAFT_CORE_MAX_XCOM_SIZE", bad)))
          .as(bad)
          .isInstanceOf(UpdraftException.class)
          .hasMessageContaining("core.max_xcom_size = '" + bad + "'")
          .hasMessageContaining("512KiB");
    }
  }

  @Test
  void unknownKeysAndBadShapesAreErrors() throws IOException {
    file("core:\n  paralelism: 4\n");
    assertThatThrownBy(() -> load(Map.of()))
        .hasMessageContaining("unknown setting 'core.paralelism'")
        .hasMessageContaining("did you mean core.parallelism?");
    file("core: 4\n");
    assertThatThrownBy(() -> load(Map.of())).hasMessageContaining("section 'core' must be a map");
    file("- a\n- b\n");
    assertThatThrownBy(() -> load(Map.of())).hasMessageContaining("must be a map of sections");
    file("core: [\n");
    assertThatThrownBy(() -> load(Map.of())).hasMessageContaining("cannot read");
  }

  @Test
  void anEmptyFileIsFine() throws IOException {
    file("# nothing yet\n");
    assertThat(load(Map.of()).integer(ConfigKey.PARALLELISM)).isEqualTo(32);
  }
}
