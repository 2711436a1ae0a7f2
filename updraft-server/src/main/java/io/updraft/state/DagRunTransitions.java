package io.updraft.state;

import static io.updraft.state.DagRunState.FAILED;
import static io.updraft.state.DagRunState.QUEUED;
import static io.updraft.state.DagRunState.RUNNING;
import static io.updraft.state.DagRunState.SUCCESS;

/**
 * The one table of allowed DAG run state changes, as Airflow 2.10 makes them:
 *
 * <ul>
 *   <li><b>Scheduler</b>: a queued run starts when the DAG is below {@code max_active_runs}; a
 *       running run finishes success or failed when its leaves are done ({@code
 *       DagRun.update_state}), or failed on {@code dagrun_timeout} or a deadlock.
 *   <li><b>Clearing</b> tasks of a run (any state) sets the run back to queued, to be started
 *       again; users may also mark a run queued.
 *   <li><b>User marks</b>: a run of any state may be marked success or failed.
 * </ul>
 *
 * A finished run never goes straight back to running: it is cleared to queued first (Airflow's
 * "mark running" was replaced by "queued" in 2.3).
 */
public final class DagRunTransitions {
  private DagRunTransitions() {}

  /** The table. */
  public static final Transitions<DagRunState> TABLE =
      Transitions.builder(DagRunState.class, "DAG run", DagRunState::id)
          .allow(QUEUED, RUNNING, "scheduler: below max_active_runs, the run starts")
          .allow(QUEUED, SUCCESS, "user marks success")
          .allow(QUEUED, FAILED, "user marks failed")
          .allow(RUNNING, SUCCESS, "scheduler: all leaves done, as the rules say success")
          .allow(RUNNING, FAILED, "scheduler: a leaf failed, dagrun_timeout, deadlock; user mark")
          .allow(RUNNING, QUEUED, "user clears tasks of the run, or marks it queued")
          .allow(SUCCESS, QUEUED, "user clears tasks of the run, or marks it queued")
          .allow(SUCCESS, FAILED, "user marks failed")
          .allow(FAILED, QUEUED, "user clears tasks of the run, or marks it queued")
          .allow(FAILED, SUCCESS, "user marks success")
          .build();

  public static boolean isAllowed(DagRunState from, DagRunState to) {
    return TABLE.isAllowed(from, to);
  }

  public static void check(DagRunState from, DagRunState to) {
    TABLE.check(from, to);
  }

  /**
   * @param context the run, e.g. {@code dag_id=x run_id=y}
   */
  public static void check(DagRunState from, DagRunState to, String context) {
    TABLE.check(from, to, context);
  }
}
