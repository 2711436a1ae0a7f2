package io.updraft.rules;

import java.time.Instant;

/**
 * The facts about earlier runs that decide {@code depends_on_past} for one task instance.
 *
 * @param catchup the DAG's catchup flag (it changes which run is "previous", see {@link PastRun},
 *     and whether the task's start date is looked at)
 * @param taskStartDate the task's effective start date (its own, else the DAG's); null if none
 * @param previousRun null when this is the DAG's first run (by the catchup rule above)
 * @param taskRanBefore whether any task instance of this task exists with an earlier logical date
 *     (for {@code ignore_first_depends_on_past})
 */
public record PastFacts(
    boolean catchup, Instant taskStartDate, PastRun previousRun, boolean taskRanBefore) {

  /** The DAG's first run. */
  public static PastFacts firstRun(boolean catchup) {
    return new PastFacts(catchup, null, null, false);
  }
}
