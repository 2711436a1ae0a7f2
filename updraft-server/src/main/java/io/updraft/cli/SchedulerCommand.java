package io.updraft.cli;

import java.io.PrintWriter;
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
      "Run a scheduler and its local executor until stopped (Ctrl-C or SIGTERM, as standalone"
          + " stops). The database must be"
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
    return runUntilStopped(
        spec,
        new SchedulerService(
            Commands.settings(spec),
            Clock.systemUTC(),
            new SchedulerService.Mode("scheduler", false, !noDagSync, false)));
  }

  /**
   * Starts a service, stops it gracefully on SIGTERM/SIGINT (decisions/0042), and returns its exit
   * code once it stopped: 0 after a requested stop, 1 when it stopped itself.
   */
  static int runUntilStopped(CommandLine.Model.CommandSpec spec, LongRunningService service)
      throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    // Any other way the JVM ends (System.exit elsewhere, SIGHUP) still stops in order.
    Thread hook = new Thread(service::close, "shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    StopSignals.onStop(
        service::requestStop,
        () -> {
          err.println(service.alreadyStopping());
          err.flush();
        });
    service.start(spec.commandLine().getOut(), err);
    service.awaitStop();
    boolean stoppedItself = service.stoppedItself();
    service.close();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down: the hook finds the service closed
    }
    return stoppedItself ? ExitCodes.FAILED_RUN : ExitCodes.OK;
  }
}
