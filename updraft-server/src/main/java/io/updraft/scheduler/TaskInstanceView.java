package io.updraft.scheduler;

import io.updraft.state.TaskInstanceState;
import java.time.Instant;
import java.util.Objects;

/**
 * A task instance as a scheduling decision sees it.
 *
 * @param nextRetryAt when an {@code up_for_retry} instance may run again; null otherwise
 */
public record TaskInstanceView(String taskId, TaskInstanceState state, Instant nextRetryAt) {
  public TaskInstanceView {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(state, "state");
  }
}
