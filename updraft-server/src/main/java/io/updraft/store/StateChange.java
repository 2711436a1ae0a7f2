package io.updraft.store;

import io.updraft.state.TaskInstanceState;
import java.util.Objects;

/** One guarded state write: task instance {@code id} from the state the caller saw to another. */
public record StateChange(long id, TaskInstanceState from, TaskInstanceState to) {
  public StateChange {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
  }
}
