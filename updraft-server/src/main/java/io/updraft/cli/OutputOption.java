package io.updraft.cli;

import picocli.CommandLine.Option;

/** The {@code -o/--output} option of every listing command (a picocli mixin). */
final class OutputOption {
  @Option(
      names = {"-o", "--output"},
      defaultValue = "table",
      paramLabel = "FORMAT",
      description = "table (default) or json.")
  OutputFormat format;
}
