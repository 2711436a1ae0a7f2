package io.updraft.worker.operators;

import io.updraft.connections.Connection;
import io.updraft.connections.ConnectionLookup;
import io.updraft.dag.Dag;
import io.updraft.dag.Task;
import io.updraft.worker.RunnerSettings;
import io.updraft.worker.TaskRunner;
import io.updraft.worker.TryExecution;
import io.updraft.worker.TryOutcome;
import io.updraft.worker.TryRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Runs tries of in-JVM operators through the real task runner, with in-memory connections. */
final class OperatorTries {
  static final Instant LOGICAL = Instant.parse("2024-01-31T02:00:00Z");
  static final String RUN_ID = "manual__2024-01-31T02:00:00+00:00";

  final Path logs;
  final Map<String, Connection> connections = new HashMap<>();
  DagRuns dagRuns = DagRuns.none();
  io.updraft.sensors.ExternalStates external;
  Instant firstCheck;
  Path dagFile;
  io.updraft.worker.Heartbeat heartbeat;

  OperatorTries(Path logs) {
    this.logs = logs;
  }

  OperatorTries conn(Connection c) {
    connections.put(c.connId(), c);
    return this;
  }

  TaskRunner runner() {
    return new TaskRunner(
        RunnerSettings.defaults()
            .withKillGrace(Duration.ofSeconds(2))
            .withHeartbeatInterval(Duration.ofMillis(50)),
        new OperatorServices(dagRuns, external));
  }

  TryOutcome run(String operator, Map<String, Object> args) {
    return run(operator, args, null);
  }

  TryOutcome run(String operator, Map<String, Object> args, Duration timeout) {
    return runner().run(request(task(operator, args, timeout)));
  }

  TryExecution start(String operator, Map<String, Object> args) {
    return runner().start(request(task(operator, args, null)));
  }

  private final ConnectionLookup lookup = id -> Optional.ofNullable(connections.get(id));

  private TryRequest request(Task task) {
    return TryRequest.builder(dag(task), "t", RUN_ID, LOGICAL, logs)
        .dagFile(dagFile)
        .connections(lookup)
        .heartbeat(heartbeat)
        .firstCheck(firstCheck)
        .build();
  }

  static Task task(String operator, Map<String, Object> args, Duration timeout) {
    return new Task(
        "t", operator, args, List.of(), null, 0, null, false, null, timeout, null, 1, 1, null, null,
        null, false, false, null, null, Map.of(), null, null);
  }

  static Dag dag(Task task) {
    return new Dag(
        "d",
        null,
        null,
        null,
        Instant.parse("2024-01-01T00:00:00Z"),
        null,
        false,
        16,
        16,
        null,
        List.of(),
        Map.of(),
        List.of(task));
  }

  static String log(TryOutcome o) throws IOException {
    return Files.readString(o.logPath());
  }

  static Connection connection(
      String id, String type, String host, Integer port, String login, String password) {
    return new Connection(id, type, host, port, login, password, null, Map.of());
  }
}
