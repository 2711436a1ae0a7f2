package io.updraft.store;

import java.time.Instant;

/**
 * A scheduled task instance the critical section may queue, locked by the caller's transaction.
 *
 * @param logicalDate its run's logical date (its {@code run_after} when it has none): the second
 *     key of the queueing order
 * @param dagHash the DAG version its run executes (read with it: no second query per run)
 */
public record ScheduledTaskInstance(TaskInstanceRow ti, Instant logicalDate, String dagHash) {}
