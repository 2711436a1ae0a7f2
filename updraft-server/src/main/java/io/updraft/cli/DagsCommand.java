package io.updraft.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code updraft dags ...}: the DAG commands. */
@Command(
    name = "dags",
    description = "List, show and inspect DAGs.",
    subcommands = {
      DagsListCommand.class,
      DagsShowCommand.class,
      DagsNextRunsCommand.class,
      DagsRunCommands.Trigger.class,
      DagsRunCommands.Pause.class,
      DagsRunCommands.Unpause.class,
      DagsRunCommands.ListRuns.class,
      DagsDeleteRunCommand.class,
      DagsTestCommand.class,
      DagsBackfillCommand.class,
      DagsImportErrorsCommand.class
    })
final class DagsCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
