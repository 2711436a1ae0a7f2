package io.updraft.cli;

import io.updraft.callbacks.CallbackRunner;
import io.updraft.callbacks.NotifierJson;
import io.updraft.callbacks.Notifiers;
import io.updraft.connections.Lookups;
import io.updraft.connections.SecretMasker;
import io.updraft.scheduler.DagVersions;
import io.updraft.store.CallbackRequestRepository.CallbackRow;
import io.updraft.store.DagRunRow;
import io.updraft.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code dags test} runs the callbacks its run wrote (task and DAG callbacks) once the run has
 * ended, in this process, each failing one retried after a short backoff, and reports them.
 */
final class DagsTestCallbacks {
  /** The backoff of a failing callback here: one waits for the command, not for a scheduler. */
  private static final Duration BACKOFF = Duration.ofSeconds(1);

  private DagsTestCallbacks() {}

  static List<CallbackRow> run(
      Database db, DagVersions versions, Lookups lookups, DagRunRow run, Path logs, Clock clock) {
    CallbackRunner.Settings s = CallbackRunner.Settings.defaults();
    try (CallbackRunner runner =
        new CallbackRunner(
            db,
            versions::get,
            new Notifiers(lookups.connections(new SecretMasker()), Notifiers.DEFAULT_TIMEOUT),
            lookups,
            logs,
            clock,
            new CallbackRunner.Settings(s.pollEvery(), s.lease(), BACKOFF, s.batch()),
            "dags-test-" + ProcessHandle.current().pid())) {
      return runner.drain(
          run.dagId(), run.runId(), Notifiers.DEFAULT_TIMEOUT.multipliedBy(3).plusMinutes(1));
    }
  }

  /** One callback as {@code --output json} and the text listing show it. */
  static Map<String, Object> json(CallbackRow r, Path logs) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("event", r.event());
    m.put("task_id", r.taskId());
    m.put("notifier", kind(r.notifierJson()));
    m.put("state", r.state());
    m.put("attempts", r.attempts());
    m.put("error", r.lastError());
    m.put("log", CallbackRunner.logPath(logs, r).toString());
    return m;
  }

  private static String kind(String json) {
    return NotifierJson.read(json).get(0).toMap().keySet().iterator().next();
  }
}
