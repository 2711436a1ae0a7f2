package io.updraft.store;

import java.time.Instant;

/**
 * A row of the audit {@code log}: one user action (trigger, clear, mark, pause, ...).
 *
 * @param mapIndex the mapped task instance's index; null: not about one
 * @param tryNumber the try; null: not about one
 * @param extra JSON with the action's details; null: none
 */
public record LogRow(
    long id,
    Instant dttm,
    String event,
    String dagId,
    String taskId,
    String runId,
    Integer mapIndex,
    Integer tryNumber,
    String owner,
    String extra) {}
