package io.updraft.callbacks;

import io.updraft.dag.Dag;
import io.updraft.dag.Deadline;
import io.updraft.state.DagRunState;
import io.updraft.store.CallbackRequestRepository;
import io.updraft.store.DagRunRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.Database;
import io.updraft.store.DeadlineRepository;
import io.updraft.store.DeadlineRepository.DueDeadline;
import io.updraft.store.NewDagRun;
import java.time.Instant;

/**
 * Deadline alerts (Airflow 3.1): {@link #record} stores a new run's deadline with the run; {@link
 * #fireDue} finds the due ones by index and, in one transaction per batch, writes the callback of
 * each whose run has not ended and closes them all — so a deadline fires exactly once, whichever
 * runner gets there first.
 */
public final class DeadlineAlerts {
  private static final int PER_PASS = 100;

  private final Database db;
  private final DeadlineRepository deadlines;
  private final DagRunRepository runs;
  private final CallbackRequestRepository callbacks;

  public DeadlineAlerts(Database db, CallbackRequestRepository callbacks) {
    this.db = db;
    this.deadlines = new DeadlineRepository(db);
    this.runs = new DagRunRepository(db);
    this.callbacks = callbacks;
  }

  /**
   * Records the deadline of a run just created (in the caller's transaction), when its DAG has one
   * and the run has its reference time. {@code queued_at} is the run's creation.
   */
  public static void record(Database db, Dag dag, long dagRunId, NewDagRun run, Instant now) {
    Deadline d = dag.deadline();
    if (d == null) {
      return;
    }
    Instant at = d.at(run.logicalDate(), now, run.dataIntervalEnd());
    if (at == null) {
      return;
    }
    new DeadlineRepository(db)
        .add(dagRunId, run.dagId(), run.runId(), at, NotifierJson.writeAll(d.callback()), now);
  }

  /** Fires or closes every deadline due at {@code now}; returns how many fired. */
  public int fireDue(Instant now) {
    return db.inTransaction(
        () -> {
          int fired = 0;
          for (DueDeadline d : deadlines.lockDue(now, PER_PASS)) {
            DagRunState state = runs.get(d.dagRunId()).map(DagRunRow::state).orElse(null);
            boolean late = state == DagRunState.QUEUED || state == DagRunState.RUNNING;
            if (late) {
              callbacks.add(
                  CallbackRequests.forDeadline(
                      d.dagId(),
                      d.runId(),
                      NotifierJson.read(d.callbackJson()),
                      "run " + d.runId() + " had not ended by its deadline " + d.deadlineAt()),
                  now);
              fired++;
            }
            deadlines.close(d.id(), late, now);
          }
          return fired;
        });
  }
}
