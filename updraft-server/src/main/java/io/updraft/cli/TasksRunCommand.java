package io.updraft.cli;

import io.updraft.config.ConfigKey;
import io.updraft.util.Hostname;
import io.updraft.worker.remote.ExecutionClient;
import io.updraft.worker.remote.SingleTry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code updraft tasks run DAG RUN_ID TASK}: one try, as a Kubernetes pod runs it (SPEC §2.3). It
 * holds no database credentials: the try's task token is in {@code UPDRAFT_TASK_TOKEN}, the API
 * server in {@code --api-url} or {@code UPDRAFT_API_URL}; it runs the run's stored DAG version, as
 * a remote worker runs a try.
 */
@Command(
    name = "run",
    description = {
      "Run one try of a task instance through the API server, as a Kubernetes pod does: the try"
          + " its task token (UPDRAFT_TASK_TOKEN) names, with the run's stored DAG version; it"
          + " heartbeats, ships its log and reports its end, then prints the log. It needs no"
          + " database access.",
      "Exit 0 when the try ends as its task meant (success, skipped, deferred, rescheduled), 1"
          + " when it failed, 2 on bad input (a token for another task instance, one missing)."
          + " On SIGTERM the try's processes get SIGTERM, then SIGKILL after"
          + " scheduler.shutdown_grace, and the try is handed back to run again at once."
    })
final class TasksRunCommand implements Callable<Integer> {
  static final String TOKEN_ENV = "UPDRAFT_TASK_TOKEN";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DAG", description = "The dag_id.")
  String dagId;

  @Parameters(index = "1", paramLabel = "RUN_ID", description = "The run_id.")
  String runId;

  @Parameters(index = "2", paramLabel = "TASK", description = "The task_id.")
  String taskId;

  @Option(
      names = "--map-index",
      paramLabel = "N",
      description = "The mapped instance (default -1: an unmapped task).")
  int mapIndex = -1;

  @Option(
      names = "--api-url",
      paramLabel = "URL",
      description =
          "The API server, e.g. http://updraft-api:8080 (default: $"
              + WorkerCommand.API_URL_ENV
              + ").")
  String apiUrl;

  @Override
  public Integer call() {
    String url = apiUrl != null ? apiUrl : System.getenv(WorkerCommand.API_URL_ENV);
    if (url == null || url.isBlank()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "tasks run needs the API server's URL: set --api-url http://host:8080 or "
              + WorkerCommand.API_URL_ENV);
    }
    String token = System.getenv(TOKEN_ENV);
    if (token == null || token.isBlank()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "tasks run needs the try's task token in "
              + TOKEN_ENV
              + " (the Kubernetes executor sets it in each pod)");
    }
    if (mapIndex < -1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--map-index must be -1 (unmapped) or more, not " + mapIndex);
    }
    Settings settings = Commands.settings(spec);
    Duration grace = settings.config().duration(ConfigKey.SHUTDOWN_GRACE);
    SingleTry single =
        SingleTry.start(
            new ExecutionClient(url),
            token.strip(),
            new SingleTry.Target(dagId, runId, taskId, mapIndex),
            Hostname.ofThisMachine(),
            settings.home().resolve("logs"),
            settings.runnerSettings(),
            settings.config().duration(ConfigKey.TASK_INSTANCE_HEARTBEAT_TIMEOUT),
            Clock.systemUTC());
    PrintWriter err = spec.commandLine().getErr();
    StopSignals.onStop(
        () -> single.stop(grace),
        () -> {
          err.println("Already stopping: the try is being handed back.");
          err.flush();
        });
    SingleTry.Outcome outcome = single.run();
    PrintWriter out = spec.commandLine().getOut();
    // The try's log on stdout too: what kubectl logs shows of a kept pod.
    try (var log = Files.newBufferedReader(single.log())) {
      log.transferTo(out); // streamed: a log may be large
    } catch (IOException e) {
      err.println("updraft: cannot read the try's log " + single.log() + ": " + e.getMessage());
    }
    switch (outcome) {
      case ENDED -> out.println("The try of " + what() + " ended.");
      case HANDED_BACK -> out.println("The try of " + what() + " was stopped and handed back.");
      case FAILED -> err.println("updraft: the try of " + what() + " failed");
    }
    out.flush();
    err.flush();
    return outcome == SingleTry.Outcome.FAILED ? ExitCodes.FAILED_RUN : ExitCodes.OK;
  }

  private String what() {
    return dagId + " " + runId + " " + taskId + (mapIndex < 0 ? "" : " --map-index " + mapIndex);
  }
}
