package io.updraft.cli;

import picocli.CommandLine;

/**
 * The log level of one CLI process, chosen before any logger exists (slf4j-simple reads it when the
 * first logger is created, and each logger keeps the level it was created with).
 *
 * <p>A command's output is its answer, not a log: one-shot commands ({@code dags test}, {@code dags
 * list}, …) show warnings and errors only, so {@code dags test} does not print the migration of its
 * throw-away database. The long-running components ({@code standalone}, {@code scheduler}, {@code
 * dag-processor}) log at info, because their log is what they show. {@code --verbose} shows info
 * lines for every command; a level set with {@code -Dorg.slf4j.simpleLogger.defaultLogLevel} (e.g.
 * in {@code UPDRAFT_JAVA_OPTS}) is kept unless {@code --verbose} is given.
 */
final class LogLevels {
  static final String DEFAULT_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

  /** A command that runs until stopped and whose log is its output. */
  interface LongRunning {}

  private LogLevels() {}

  /** Sets the default level for the command {@code parsed} will run. */
  static void configure(CommandLine.ParseResult parsed) {
    CommandLine.ParseResult leaf = parsed;
    boolean verbose = parsed.hasMatchedOption("--verbose");
    while (leaf.hasSubcommand()) {
      leaf = leaf.subcommand();
      verbose |= leaf.hasMatchedOption("--verbose");
    }
    if (verbose) {
      System.setProperty(DEFAULT_LEVEL, "info");
    } else if (System.getProperty(DEFAULT_LEVEL) == null) {
      boolean service = leaf.commandSpec().userObject() instanceof LongRunning;
      System.setProperty(DEFAULT_LEVEL, service ? "info" : "warn");
    }
  }
}
