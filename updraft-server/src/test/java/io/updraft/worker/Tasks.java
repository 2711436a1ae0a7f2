package io.updraft.worker;

import io.updraft.dag.Dag;
import io.updraft.dag.Task;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Builds DAGs and tasks for worker tests. */
final class Tasks {

  private Tasks() {}

  static Task task(
      String id,
      String operator,
      Map<String, Object> args,
      Map<String, String> env,
      Duration timeout,
      List<String> upstream) {
    return new Task(
        id, operator, args, upstream, null, 0, null, false, null, timeout, null, 1, 1, null, null,
        null, false, false, null, null, env, null, null);
  }

  static Task shell(String id, String command) {
    return task(id, "shell", Map.of("command", command), Map.of(), null, List.of());
  }

  static Dag dag(Map<String, Object> params, Task... tasks) {
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
        params,
        List.of(tasks));
  }
}
