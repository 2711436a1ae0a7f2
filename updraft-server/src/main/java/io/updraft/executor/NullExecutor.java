package io.updraft.executor;

import io.updraft.scheduler.Wakeup;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.Database;
import io.updraft.store.TaskInstanceRow;
import io.updraft.store.TaskInstanceTries;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Ends every queued task instance at once, without running anything: for measuring the scheduler
 * alone (seed 000's TestExecutor) and for testing scheduling without processes. Each try goes
 * through the same writes a real worker makes: queued → running → its outcome.
 */
public final class NullExecutor implements Executor {
  private final Database database;
  private final TaskInstanceTries tries;
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
    // Like Airflow's TestExecutor, in bulk: a few statements per batch, not four per task.
    database.runInTransaction(
        () -> {
          Set<Long> started =
              tries.startAll(
                  tis.stream().map(TaskInstanceRow::id).toList(),
                  "null-executor",
                  0,
                  clock.instant());
          List<TaskInstanceTries.Ending> endings = new ArrayList<>(started.size());
          for (TaskInstanceRow ti : tis) {
            if (started.contains(ti.id())) {
              endings.add(new TaskInstanceTries.Ending(ti.id(), outcome.apply(ti), null));
            }
          }
          tries.finishAll(endings, clock.instant());
        });
    wakeup.signal();
  }

  @Override
  public void close() {}
}
