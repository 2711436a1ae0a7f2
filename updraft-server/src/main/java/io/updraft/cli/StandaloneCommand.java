package io.updraft.cli;

import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code updraft standalone}: migrate, then run everything in this JVM until stopped. */
@Command(
    name = "standalone",
    description =
        "Migrate the database, then run the DAG folder sync, the scheduler, the local executor"
            + " and a triggerer in this JVM until stopped (Ctrl-C or SIGTERM: running tasks get SIGTERM, SIGKILL"
            + " after scheduler.shutdown_grace, and run again at the next start; exit 0).")
final class StandaloneCommand implements Callable<Integer>, LogLevels.LongRunning {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--port",
      defaultValue = "8080",
      description = "The API server's port (the API and web UI are not built yet; reserved).")
  int port;

  @Override
  public Integer call() throws InterruptedException {
    return SchedulerCommand.runUntilStopped(
        spec,
        new SchedulerService(
            Commands.settings(spec),
            Clock.systemUTC(),
            new SchedulerService.Mode("standalone", true, true, true)));
  }
}
