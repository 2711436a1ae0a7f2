package io.updraft.cli;

import io.updraft.config.ConfigKey;
import io.updraft.config.UpdraftConfig;
import io.updraft.store.Database;
import io.updraft.store.DatabaseConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one CLI command runs with: the home folder (option, then {@code UPDRAFT_HOME}, then {@code
 * ~/updraft}) and the configuration of that home, with the global options applied on top.
 */
record Settings(Path home, UpdraftConfig config) {

  static Settings resolve(Path homeOpt, String dbUrlOpt, Path dagsOpt, Map<String, String> env) {
    Path home =
        homeOpt != null
            ? homeOpt
            : nonEmpty(env.get("UPDRAFT_HOME")) != null
                ? Path.of(env.get("UPDRAFT_HOME"))
                : Path.of(System.getProperty("user.home"), "updraft");
    home = home.toAbsolutePath().normalize();
    Map<ConfigKey, String> options = new LinkedHashMap<>();
    if (dbUrlOpt != null) {
      options.put(ConfigKey.DB_URL, dbUrlOpt);
    }
    if (dagsOpt != null) {
      options.put(ConfigKey.DAGS_FOLDER, dagsOpt.toString());
    }
    return new Settings(home, UpdraftConfig.load(home, env, options));
  }

  Path dagsFolder() {
    return config.dagsFolder();
  }

  /** The database URL: as configured, else the embedded H2 file in the home. */
  String dbUrl() {
    String url = config.dbUrl();
    return url != null ? url : DatabaseConfig.defaultUrl(home);
  }

  /**
   * Whether the home's embedded database has been created: no URL is configured and its H2 file
   * exists. Commands that only read from it check this first rather than create it by opening it.
   */
  boolean homeDatabaseExists() {
    return config.dbUrl() == null && Files.exists(home.resolve("updraft.mv.db"));
  }

  /** How this home's worker runs tries: the defaults with its {@code core.max_xcom_size}. */
  io.updraft.worker.RunnerSettings runnerSettings() {
    return io.updraft.worker.RunnerSettings.defaults()
        .withMaxXComSize(config.bytes(ConfigKey.MAX_XCOM_SIZE));
  }

  /** Opens the metadata database; the caller closes it. */
  Database openDatabase() {
    return Database.open(dbUrl());
  }

  private static String nonEmpty(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
