package io.updraft.dag;

import io.updraft.UpdraftException;
import java.util.List;
import java.util.stream.Collectors;

/** A DAG definition with one or more problems; the message lists them all. */
public class InvalidDagException extends UpdraftException {
  private final List<Problem> problems;

  public InvalidDagException(String dagId, List<Problem> problems) {
    super(
        "DAG "
            + dagId
            + " is invalid: "
            + problems.stream()
                .map(p -> (p.path().isEmpty() ? "" : p.path() + ": ") + p.message())
                .collect(Collectors.joining("; ")));
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }
}
