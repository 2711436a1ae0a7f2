package io.updraft.executor;

import io.updraft.scheduler.Wakeup;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.DagRunRepository;
import io.updraft.store.Database;
import io.updraft.store.TaskInstanceRow;
import io.updraft.store.TaskInstanceTries;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Ends every queued task instance at once, without running anything: for measuring the scheduler
 * alone (seed 000's TestExecutor) and for testing scheduling without processes. Each try is started
 * and ended by one write (queued → its outcome, both steps checked against the state machine) with
 * its history row, as if it ran in no time.
 */
public final class NullExecutor implements Executor {
  private final Database database;
  private final TaskInstanceTries tries;
  private final DagRunRepository runRows;
  private final Clock clock;
  private final Wakeup wakeup;
  private final Function<TaskInstanceRow, TaskInstanceState> outcome;

  /** An executor whose tries all succeed. */
  public NullExecutor(Database database, Clock clock, Wakeup wakeup) {
    this(database, clock, wakeup, ti -> TaskInstanceState.SUCCESS);
  }

  /**
   * @param outcome the state each try ends in: success, failed, skipped or up_for_retry
   */
  public NullExecutor(
      Database database,
      Clock clock,
      Wakeup wakeup,
      Function<TaskInstanceRow, TaskInstanceState> outcome) {
    this.database = database;
    this.tries = new TaskInstanceTries(database);
    this.runRows = new DagRunRepository(database);
    this.clock = clock;
    this.wakeup = wakeup;
    this.outcome = outcome;
  }

  @Override
  public int openSlots() {
    return Integer.MAX_VALUE;
  }

  @Override
  public void queue(List<TaskInstanceRow> tis) {
    if (tis.isEmpty()) {
      return;
    }
    // Like Airflow's TestExecutor, in bulk: each try started and ended by one write, two statements
    // per batch whatever its size (decisions/0162).
    Set<Long> runs =
        database.inTransaction(
            () -> {
              List<TaskInstanceTries.Ending> endings = new ArrayList<>(tis.size());
              Map<String, Set<String>> runIds = new HashMap<>();
              for (TaskInstanceRow ti : tis) {
                endings.add(new TaskInstanceTries.Ending(ti.id(), outcome.apply(ti), null));
                runIds.computeIfAbsent(ti.dagId(), k -> new HashSet<>()).add(ti.runId());
              }
              tries.runAll(endings, "null-executor", 0, clock.instant());
              return runRows.idsOf(runIds);
            });
    // Named, so the next pass examines these runs and leaves the others to their turn (0136).
    runs.forEach(wakeup::signalRun);
  }

  @Override
  public void close() {}
}
