package io.updraft.store;

import java.time.Instant;

/**
 * A row of {@code dag}: what the DAG processor last saw of a DAG, and when its next run is due.
 *
 * @param owners the distinct task owners, comma separated, as Airflow shows them
 * @param timetableSummary the schedule as written ({@code null} for a manual-only DAG)
 * @param maxActiveRuns null: no limit recorded
 * @param next null when the DAG has no further scheduled run
 */
public record DagRow(
    String dagId,
    String fileloc,
    String owners,
    String description,
    boolean paused,
    boolean active,
    boolean hasImportErrors,
    Instant lastParsedTime,
    String timetableSummary,
    Integer maxActiveRuns,
    int maxActiveTasks,
    boolean hasTaskConcurrencyLimits,
    NextDagRun next) {}
