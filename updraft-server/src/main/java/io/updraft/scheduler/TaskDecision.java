package io.updraft.scheduler;

import io.updraft.state.TaskInstanceState;

/** A state change the scheduler decided for one task of a run, and why. */
public record TaskDecision(
    String taskId, TaskInstanceState from, TaskInstanceState to, String reason) {}
