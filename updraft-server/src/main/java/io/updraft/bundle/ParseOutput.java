package io.updraft.bundle;

import java.util.List;

/**
 * What the parse of a Java DAG file or jar gave, as the child JVM writes it (JSON) and the DAG
 * processor reads it.
 *
 * @param dags each DAG as the canonical JSON of {@code DagSerializer}
 * @param errors problems, each at a line of the file (1 when no better line is known)
 * @param bundle the jar to store as the file's bundle; null when no DAG uses a custom operator
 */
public record ParseOutput(List<String> dags, List<Error> errors, String bundle) {
  public ParseOutput {
    dags = dags == null ? List.of() : List.copyOf(dags);
    errors = errors == null ? List.of() : List.copyOf(errors);
  }

  /** A problem at a place of the file. */
  public record Error(long line, long column, String message) {}

  static ParseOutput failed(String message) {
    return new ParseOutput(List.of(), List.of(new Error(1, 1, message)), null);
  }
}
