package io.updraft.scheduler;

import io.updraft.state.TaskInstanceState;

/** One task-instance state change a scheduling decision asks for, and why. */
public record StateChange(
    String taskId, TaskInstanceState from, TaskInstanceState to, String reason) {}
