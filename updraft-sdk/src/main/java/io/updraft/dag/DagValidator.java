package io.updraft.dag;

import java.util.List;

/**
 * The semantic checks every DAG must pass however it was written (YAML or Java): unique task_ids,
 * known upstream tasks, no cycle, a valid schedule, start_date where needed, a valid dag_id.
 * Returns every problem, not just the first.
 */
public final class DagValidator {
  private DagValidator() {}

  // TODO(foundation): the full set of checks.
  public static List<Problem> validate(Dag dag) {
    return List.of();
  }
}
