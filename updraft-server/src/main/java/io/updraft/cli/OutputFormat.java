package io.updraft.cli;

/** The {@code --output} choices of the listing commands. */
enum OutputFormat {
  table,
  json
}
