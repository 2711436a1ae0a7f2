package io.updraft.cli;

import io.updraft.UpdraftException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The top-level {@code updraft} command: global options and the subcommands. Global options are
 * inherited, so they may also be written after the subcommand ({@code updraft dags list
 * --dags-folder x}).
 */
@Command(
    name = "updraft",
    scope = ScopeType.INHERIT,
    versionProvider = VersionCommand.Provider.class,
    description = "Updraft: a workflow scheduler for the JVM.",
    subcommands = {
      VersionCommand.class,
      StandaloneCommand.class,
      SchedulerCommand.class,
      TriggererCommand.class,
      WorkerCommand.class,
      ApiServerCommand.class,
      DagProcessorCommand.class,
      DagsCommand.class,
      DbCommand.class,
      PoolsCommand.class,
      AssetsCommand.class,
      ConnectionsCommand.class,
      VariablesCommand.class,
      UsersCommand.class,
      TasksCommand.class,
      ConfigCommand.class
    },
    footer = {
      "",
      "Environment: UPDRAFT_HOME (default ~/updraft), UPDRAFT_DB_URL,"
          + " UPDRAFT_DAGS_FOLDER (default $UPDRAFT_HOME/dags).",
      "Exit codes: 0 ok, 1 a run failed, 2 bad usage or input."
    })
final class UpdraftCommand implements Runnable {
  @Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      scope = ScopeType.INHERIT,
      description = "Show this help message and exit.")
  boolean help;

  /** Only on {@code updraft} itself: {@code dags show --version N} means a DAG version. */
  @Option(
      names = {"-V", "--version"},
      versionHelp = true,
      description = "Print version information and exit.")
  boolean version;

  @Option(
      names = "--home",
      paramLabel = "DIR",
      scope = ScopeType.INHERIT,
      description = "Updraft's home folder (default: $UPDRAFT_HOME, else ~/updraft).")
  Path home;

  @Option(
      names = "--db-url",
      paramLabel = "JDBC_URL",
      scope = ScopeType.INHERIT,
      description = "The metadata database (default: $UPDRAFT_DB_URL, else H2 in the home).")
  String dbUrl;

  @Option(
      names = "--dags-folder",
      paramLabel = "DIR",
      scope = ScopeType.INHERIT,
      description = "The DAG files (default: $UPDRAFT_DAGS_FOLDER, else $UPDRAFT_HOME/dags).")
  Path dagsFolder;

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "Also print info log lines (by default commands print warnings and errors).")
  boolean verbose;

  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new UpdraftCommand());
    cl.setOut(new LogOutput.ConsoleWriter()); // tasks logs writes below it (LogOutput)
    cl.setExecutionStrategy(
        parsed -> {
          LogLevels.configure(parsed);
          return new CommandLine.RunLast().execute(parsed);
        });
    cl.setExecutionExceptionHandler(UpdraftCommand::handleExecutionException);
    cl.setParameterExceptionHandler(UpdraftCommand::handleParameterException);
    return cl;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The settings these options and the environment give. */
  Settings settings() {
    return Settings.resolve(home, dbUrl, dagsFolder, System.getenv());
  }

  /** Expected errors are one line on stderr and exit 2; unexpected ones keep their stack trace. */
  private static int handleExecutionException(
      Exception e, CommandLine cl, CommandLine.ParseResult parseResult) {
    PrintWriter err = cl.getErr();
    if (e instanceof UpdraftException) {
      err.println("updraft: " + e.getMessage());
      err.flush();
      return ExitCodes.BAD_INPUT;
    }
    err.println("updraft: internal error: " + e);
    e.printStackTrace(err);
    err.flush();
    return 3;
  }

  private static int handleParameterException(CommandLine.ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    PrintWriter err = cl.getErr();
    err.println(
        "updraft: "
            + e.getMessage()
            + " — see '"
            + cl.getCommandSpec().qualifiedName()
            + " --help'");
    err.flush();
    return ExitCodes.BAD_INPUT;
  }
}
