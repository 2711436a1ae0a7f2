package io.updraft.cli;

import io.updraft.api.ApiServer;
import io.updraft.config.ConfigKey;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code updraft standalone}: migrate, then run everything in this JVM until stopped. */
@Command(
    name = "standalone",
    description =
        "Migrate the database, then run the DAG folder sync, the scheduler, the local executor,"
            + " a triggerer and the REST API (http://127.0.0.1:8080/api/v2) in this JVM until"
            + " stopped (Ctrl-C or SIGTERM: running tasks get SIGTERM, SIGKILL"
            + " after scheduler.shutdown_grace, and run again at the next start; exit 0).")
final class StandaloneCommand implements Callable<Integer>, LogLevels.LongRunning {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--port",
      defaultValue = "8080",
      description = "The API server's port (default 8080).")
  int port;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description =
          "The address the API server listens on (default 127.0.0.1: this machine only; 0.0.0.0"
              + " for every interface).")
  String host;

  @Override
  public Integer call() throws InterruptedException {
    ApiServerCommand.requirePort(port);
    Settings settings = Commands.settings(spec);
    return SchedulerCommand.runUntilStopped(
        spec,
        new SchedulerService(
            settings,
            Clock.systemUTC(),
            new SchedulerService.Mode(
                "standalone",
                true,
                true,
                true,
                new ApiServer.Settings(
                    host,
                    port,
                    settings.config().duration(ConfigKey.SCHEDULER_HEALTH_CHECK_THRESHOLD),
                    settings.home().resolve("logs"),
                    null,
                    null,
                    settings.config().duration(ConfigKey.JWT_EXPIRATION_TIME)))));
  }
}
