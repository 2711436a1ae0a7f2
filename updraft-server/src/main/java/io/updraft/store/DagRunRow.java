package io.updraft.store;

import io.updraft.state.DagRunState;
import java.time.Instant;

/** A row of {@code dag_run}. Times are null until they happen. */
public record DagRunRow(
    long id,
    String dagId,
    String runId,
    RunType runType,
    DagRunState state,
    Instant logicalDate,
    Instant dataIntervalStart,
    Instant dataIntervalEnd,
    Instant runAfter,
    Instant queuedAt,
    Instant startDate,
    Instant endDate,
    boolean externalTrigger,
    String conf,
    String dagHash,
    Instant lastSchedulingDecision,
    Long creatingJobId,
    int clearNumber) {}
