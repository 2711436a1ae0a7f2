package io.updraft.cli;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where Updraft keeps its things, from command-line options, then environment variables, then
 * defaults (SPEC §2). Resolved once per command; immutable.
 *
 * @param dbUrl the metadata database URL; null until the metadata database exists
 */
record Settings(Path home, String dbUrl, Path dagsFolder) {

  static Settings resolve(Path homeOpt, String dbUrlOpt, Path dagsOpt, Map<String, String> env) {
    Path home =
        homeOpt != null
            ? homeOpt
            : nonEmpty(env.get("UPDRAFT_HOME")) != null
                ? Path.of(env.get("UPDRAFT_HOME"))
                : Path.of(System.getProperty("user.home"), "updraft");
    String dbUrl = dbUrlOpt != null ? dbUrlOpt : nonEmpty(env.get("UPDRAFT_DB_URL"));
    Path dags =
        dagsOpt != null
            ? dagsOpt
            : nonEmpty(env.get("UPDRAFT_DAGS_FOLDER")) != null
                ? Path.of(env.get("UPDRAFT_DAGS_FOLDER"))
                : home.resolve("dags");
    return new Settings(
        home.toAbsolutePath().normalize(), dbUrl, dags.toAbsolutePath().normalize());
  }

  private static String nonEmpty(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
