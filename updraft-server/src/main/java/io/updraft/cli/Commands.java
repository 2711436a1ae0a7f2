package io.updraft.cli;

import picocli.CommandLine;

/** Small helpers shared by the subcommands. */
final class Commands {
  private Commands() {}

  /** The settings of the root {@code updraft} command this subcommand runs under. */
  static Settings settings(CommandLine.Model.CommandSpec spec) {
    CommandLine root = spec.commandLine();
    while (root.getParent() != null) {
      root = root.getParent();
    }
    return ((UpdraftCommand) root.getCommand()).settings();
  }
}
