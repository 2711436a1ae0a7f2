package io.updraft.store;

import java.time.Instant;

/**
 * A row of the audit {@code log}: one user action (trigger, clear, mark, pause, ...).
 *
 * @param extra JSON with the action's details; null: none
 */
public record LogRow(
    long id,
    Instant dttm,
    String event,
    String dagId,
    String taskId,
    String runId,
    String owner,
    String extra) {}
