package io.updraft.dagproc;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One thing wrong in a DAG file, where it is and how to fix it: an import error.
 *
 * @param line 1-based
 * @param column 1-based
 * @param message one line: what is wrong — how to fix it
 */
public record DagFileError(Path file, int line, int column, String message) {
  public DagFileError {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(message, "message");
  }

  /** {@code file:line:col: message}, as compilers print errors (editors can jump to it). */
  public String format() {
    return file + ":" + line + ":" + column + ": " + message;
  }
}
