package io.updraft.cli;

import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code updraft scheduler}: one scheduler with its local executor, until stopped. Several may run
 * against one PostgreSQL or MySQL database; each claims work with row locks, and when one dies the
 * others reschedule what it had queued and fail or retry what it was running.
 */
@Command(
    name = "scheduler",
    description = {
      "Run a scheduler and its local executor until stopped (Ctrl-C). The database must be"
          + " migrated ('updraft db migrate'). Several schedulers may share one PostgreSQL or"
          + " MySQL database.",
      "It also syncs the dags folder into the database, unless --no-dag-sync says another process"
          + " does."
    })
final class SchedulerCommand implements Callable<Integer>, LogLevels.LongRunning {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--no-dag-sync",
      description = "Do not read the dags folder: run only the DAGs already in the database.")
  boolean noDagSync;

  @Override
  public Integer call() throws InterruptedException {
    return runUntilStopped(spec, new SchedulerService.Mode("scheduler", false, !noDagSync));
  }

  /** Starts a service, stops it on SIGTERM/SIGINT, and returns its exit code once it stopped. */
  static int runUntilStopped(CommandLine.Model.CommandSpec spec, SchedulerService.Mode mode)
      throws InterruptedException {
    SchedulerService service =
        new SchedulerService(Commands.settings(spec), Clock.systemUTC(), mode);
    Runtime.getRuntime().addShutdownHook(new Thread(service::close, "shutdown"));
    service.start(spec.commandLine().getOut());
    service.awaitStop();
    if (service.stoppedItself()) {
      service.close();
      return ExitCodes.FAILED_RUN;
    }
    return ExitCodes.OK;
  }
}
