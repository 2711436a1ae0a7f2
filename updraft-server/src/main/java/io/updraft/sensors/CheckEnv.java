package io.updraft.sensors;

import io.updraft.connections.ConnectionLookup;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * What a check may reach: the clock, connections ({@code sql}, {@code http}), the states of other
 * DAGs' runs and tasks ({@code external_task}), the DAG file's folder (relative {@code file}
 * patterns, {@code command}'s working directory) and the environment of {@code command}.
 */
public record CheckEnv(
    Clock clock,
    ConnectionLookup connections,
    ExternalStates external,
    Path dagFolder,
    Map<String, String> env) {

  public CheckEnv {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(connections, "connections");
    Objects.requireNonNull(external, "external");
    env = env == null ? Map.of() : Map.copyOf(env);
  }
}
