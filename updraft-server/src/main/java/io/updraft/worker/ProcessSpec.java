package io.updraft.worker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One process to run for a try.
 *
 * @param command the program and its arguments, e.g. {@code [bash, -c, echo hi]}
 * @param cwd the working directory; must exist
 * @param env the complete environment of the process
 * @param timeout null: none
 */
public record ProcessSpec(
    List<String> command, Path cwd, Map<String, String> env, Duration timeout) {
  public ProcessSpec {
    command = List.copyOf(command);
    Objects.requireNonNull(cwd, "cwd");
    env = Map.copyOf(env);
  }
}
