package io.updraft.e2e.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.cli.Main;
import io.updraft.e2e.ChildJvm;
import io.updraft.store.DatabaseConfig;
import io.updraft.store.ScratchDatabase;
import io.updraft.store.TestBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One Updraft deployment on this machine for a test: a home folder, a dags folder, a metadata
 * database (a server's, or the home's embedded H2 file when {@code dbUrl} is null) and settings.
 * CLI commands run in this JVM; schedulers run as child JVMs, each with a home of its own when it
 * plays another machine (its own task logs) or the shared one.
 */
final class Installation {
  private final Path home;
  private final Path dags;
  private final String dbUrl;
  private final Map<String, String> settings;

  /**
   * @param dbUrl a JDBC URL, or null for the home's embedded database (what a user gets by default)
   * @param settings {@code UPDRAFT_*} variables every scheduler gets
   */
  Installation(Path root, String dbUrl, Map<String, String> settings) {
    this.home = root.resolve("home");
    this.dags = root.resolve("dags");
    this.dbUrl = dbUrl;
    this.settings = Map.copyOf(settings);
    try {
      Files.createDirectories(home);
      Files.createDirectories(dags);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * An installation whose schedulers notice deaths within seconds: task heartbeat timeout and
   * scheduler health threshold of 3 s, new DAGs unpaused.
   */
  static Installation quickToRecover(Path root, String dbUrl, int parallelism) {
    return new Installation(
        root,
        dbUrl,
        Map.of(
            "UPDRAFT_CORE_DAGS_ARE_PAUSED_AT_CREATION", "false",
            "UPDRAFT_CORE_PARALLELISM", Integer.toString(parallelism),
            "UPDRAFT_SCHEDULER_TASK_INSTANCE_HEARTBEAT_TIMEOUT", "3s",
            "UPDRAFT_SCHEDULER_SCHEDULER_HEALTH_CHECK_THRESHOLD", "3s"));
  }

  /** Runs {@code scenario} with the URL of a fresh database of {@code backend}, dropped after. */
  static void onScratchDatabase(TestBackend backend, Consumer<String> scenario) throws Exception {
    try (ScratchDatabase db = backend.create()) {
      scenario.accept(db.config().url());
    }
  }

  Path home() {
    return home;
  }

  void writeDag(String fileName, String yaml) {
    try {
      Files.writeString(dags.resolve(fileName), yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Metadata metadata() {
    return new Metadata(DatabaseConfig.of(dbUrl != null ? dbUrl : DatabaseConfig.defaultUrl(home)));
  }

  /** Runs {@code updraft <command>} in this JVM and requires exit code 0. */
  void cli(String... command) {
    List<String> args = globalOptions(home);
    args.addAll(List.of(command));
    int code = Main.run(args.toArray(String[]::new));
    assertThat(code).as("exit code of updraft %s", String.join(" ", command)).isZero();
  }

  /** Starts {@code updraft scheduler} as a child JVM on the shared home. */
  ChildJvm scheduler(String name) {
    return scheduler(name, home);
  }

  /**
   * Starts {@code updraft scheduler} as a child JVM.
   *
   * @param ownHome its home folder (logs); the database stays this installation's
   */
  ChildJvm scheduler(String name, Path ownHome) {
    List<String> args = globalOptions(ownHome);
    args.add("scheduler");
    return ChildJvm.updraft(name, home.getParent(), settings, args);
  }

  private List<String> globalOptions(Path homeFolder) {
    List<String> args = new ArrayList<>(List.of("--home", homeFolder.toString()));
    args.addAll(List.of("--dags-folder", dags.toString()));
    if (dbUrl != null) {
      args.addAll(List.of("--db-url", dbUrl));
    } else if (!homeFolder.equals(home)) {
      // Another home would mean another embedded database: point it at this one.
      args.addAll(List.of("--db-url", DatabaseConfig.defaultUrl(home)));
    }
    return args;
  }
}
