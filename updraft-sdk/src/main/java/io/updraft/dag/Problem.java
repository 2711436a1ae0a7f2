package io.updraft.dag;

import java.util.Objects;

/**
 * One thing wrong with a DAG definition.
 *
 * @param path where, as a path into the DAG document: {@code schedule}, {@code
 *     tasks[2].upstream[0]}, {@code default_args.retry_delay}; empty for the whole DAG. The YAML
 *     loader maps it to a line and column.
 * @param message what is wrong — how to fix it
 */
public record Problem(String path, String message) {
  public Problem {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }
}
