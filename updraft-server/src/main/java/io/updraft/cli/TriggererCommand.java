package io.updraft.cli;

import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code updraft triggerer}: checks deferred waits ({@code defer} sensors, {@code trigger_dag}'s
 * {@code wait_for_completion}) and ends their task instances, until stopped. Several may share one
 * database; the triggers of one that dies are taken over by the others.
 */
@Command(
    name = "triggerer",
    description = {
      "Run a triggerer until stopped (Ctrl-C or SIGTERM): it checks the deferred waits (defer"
          + " sensors, trigger_dag's wait_for_completion) without a worker slot and ends their"
          + " tasks. The database must be migrated ('updraft db migrate').",
      "Several triggerers may share one PostgreSQL or MySQL database; when one stops"
          + " heart-beating for scheduler.scheduler_health_check_threshold, the others take its"
          + " triggers over. standalone runs one in its own JVM."
    })
final class TriggererCommand implements Callable<Integer>, LogLevels.LongRunning {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--capacity",
      paramLabel = "N",
      description =
          "Triggers held at once (default: triggerer.capacity, 1000 — Airflow's default).")
  Integer capacity;

  @Override
  public Integer call() throws InterruptedException {
    if (capacity != null && capacity < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--capacity must be at least 1, not " + capacity);
    }
    return SchedulerCommand.runUntilStopped(
        spec, new TriggererService(Commands.settings(spec), Clock.systemUTC(), capacity));
  }
}
