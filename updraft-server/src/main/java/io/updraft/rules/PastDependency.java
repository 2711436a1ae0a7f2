package io.updraft.rules;

import java.util.Objects;

/**
 * Whether {@code depends_on_past} lets a task instance run now.
 *
 * @param reason one line a user can read
 */
public record PastDependency(boolean met, String reason) {
  public PastDependency {
    Objects.requireNonNull(reason, "reason");
  }
}
