package io.updraft.store;

import io.updraft.state.TaskInstanceState;
import java.time.Instant;

/**
 * A row of {@code task_instance}. {@code state} is {@link TaskInstanceState#NONE} for SQL NULL.
 *
 * @param tryNumber the number of the latest try started (0: never started)
 * @param duration seconds of the latest finished try; null until one finishes
 */
public record TaskInstanceRow(
    long id,
    String dagId,
    String runId,
    String taskId,
    int mapIndex,
    TaskInstanceState state,
    int tryNumber,
    int maxTries,
    int priorityWeight,
    String pool,
    int poolSlots,
    String queue,
    String operator,
    Instant startDate,
    Instant endDate,
    Double duration,
    String hostname,
    Integer pid,
    Instant queuedDttm,
    Long queuedByJobId,
    Instant lastHeartbeatAt,
    Instant nextRetryAt,
    Instant updatedAt) {}
