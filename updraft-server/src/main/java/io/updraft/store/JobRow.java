package io.updraft.store;

import java.time.Instant;

/**
 * A row of {@code job}: one scheduler, triggerer, worker or DAG processor process.
 *
 * @param state {@code running} while alive, then {@code success} or {@code failed}
 */
public record JobRow(
    long id,
    JobType type,
    String state,
    String hostname,
    int pid,
    Instant latestHeartbeat,
    Instant startDate,
    Instant endDate) {}
