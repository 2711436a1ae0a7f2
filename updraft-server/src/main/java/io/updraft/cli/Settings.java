package io.updraft.cli;

import io.updraft.UpdraftException;
import io.updraft.config.ConfigKey;
import io.updraft.config.UpdraftConfig;
import io.updraft.connections.FernetKeys;
import io.updraft.connections.Lookups;
import io.updraft.dag.Durations;
import io.updraft.store.Database;
import io.updraft.store.DatabaseConfig;
import io.updraft.worker.OperatorJvmSettings;
import io.updraft.worker.RunnerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one CLI command runs with: the home folder (option, then {@code UPDRAFT_HOME}, then {@code
 * ~/updraft}) and the configuration of that home, with the global options applied on top.
 *
 * @param homeGiven whether the home came from {@code --home} or {@code UPDRAFT_HOME} rather than
 *     the default
 */
record Settings(Path home, UpdraftConfig config, boolean homeGiven) {

  static Settings resolve(Path homeOpt, String dbUrlOpt, Path dagsOpt, Map<String, String> env) {
    boolean given = homeOpt != null || nonEmpty(env.get("UPDRAFT_HOME")) != null;
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
    return new Settings(home, UpdraftConfig.load(home, env, options), given);
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

  /**
   * Opens the metadata database, creating the home's embedded one if need be; the caller closes it.
   */
  Database openDatabase() {
    return Database.open(dbUrl());
  }

  /**
   * A setting's value as {@code config list} shows it: durations in the short form, the database
   * URL as in effect (the embedded default included) without its password; null when unset.
   */
  String displayText(ConfigKey key) {
    Object value = key == ConfigKey.DB_URL ? DatabaseConfig.of(dbUrl()).displayUrl() : value(key);
    if (key.secret() && value != null) {
      return "***";
    }
    return switch (value) {
      case null -> null;
      case Duration d -> Durations.format(d);
      default -> value.toString();
    };
  }

  /**
   * Every setting as text by section and key, as {@code config list} shows them: what a template's
   * {@code conf} reads (Airflow's {@code conf.get('core', 'parallelism')}).
   */
  Map<String, Map<String, String>> templateConfiguration() {
    Map<String, Map<String, String>> sections = new LinkedHashMap<>();
    for (ConfigKey k : ConfigKey.ALL) {
      String text = displayText(k);
      if (text != null) {
        sections.computeIfAbsent(k.section(), s -> new LinkedHashMap<>()).put(k.key(), text);
      }
    }
    return sections;
  }

  /** The Fernet keys in effect: {@code core.fernet_key}, else the home's key file, else none. */
  FernetKeys fernetKeys() {
    return FernetKeys.resolve((String) value(ConfigKey.FERNET_KEY), home);
  }

  /**
   * Creates the home's Fernet key file unless a key is configured or the file exists
   * (decisions/0060); tells {@code out} where it is when it made one.
   */
  void createFernetKeyFile(java.io.PrintWriter out) {
    FernetKeys.createKeyFile((String) value(ConfigKey.FERNET_KEY), home)
        .ifPresent(
            file ->
                out.println(
                    "created a Fernet key in "
                        + file
                        + " (mode 600): it encrypts connection passwords and variables — back it"
                        + " up, and give every scheduler and worker the same key as"
                        + " core.fernet_key"));
  }

  /** Connections and variables as tries and commands see them: environment, then the tables. */
  Lookups lookups(Database db) {
    return Lookups.of(System.getenv(), db, fernetKeys());
  }

  /**
   * How this command's worker runs tries: the defaults, with this configuration for templates and
   * its {@code core.max_xcom_size} and its {@code worker.operator_jvm*} settings.
   */
  RunnerSettings runnerSettings() {
    return RunnerSettings.defaults()
        .withConfiguration(templateConfiguration())
        .withMaxXComSize(config.bytes(ConfigKey.MAX_XCOM_SIZE))
        .withOperatorJvms(
            new OperatorJvmSettings(
                config.bool(ConfigKey.OPERATOR_JVM_REUSE),
                config.duration(ConfigKey.OPERATOR_JVM_IDLE_TIMEOUT),
                config.integer(ConfigKey.OPERATOR_JVMS_PER_BUNDLE),
                true));
  }

  private Object value(ConfigKey key) {
    return config.get(key).value();
  }

  /**
   * Opens a metadata database that exists: the home's embedded one is not created by opening it
   * (which would leave an empty database, and perhaps a mistyped home folder, behind).
   */
  Database openExistingDatabase() {
    if (config.dbUrl() == null && !homeDatabaseExists()) {
      if (!Files.isDirectory(home)) {
        throw homeMissing();
      }
      throw new UpdraftException(
          "there is no metadata database in "
              + home
              + " — run 'updraft db migrate' (or 'updraft standalone') to create it, or give"
              + " --db-url");
    }
    return openDatabase();
  }

  /**
   * For commands that only read: the home must exist when it was given ({@code --home}, {@code
   * UPDRAFT_HOME}), so a mistyped one is an error rather than an empty answer. A default home that
   * does not exist yet is fine: a first {@code dags list --dags-folder x} needs none.
   */
  void requireHome() {
    if (homeGiven && !Files.isDirectory(home)) {
      throw homeMissing();
    }
  }

  private UpdraftException homeMissing() {
    return new UpdraftException(
        "the Updraft home "
            + home
            + " does not exist — check --home and UPDRAFT_HOME, or create it with 'updraft db"
            + " migrate' or 'updraft standalone'");
  }

  private static String nonEmpty(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
