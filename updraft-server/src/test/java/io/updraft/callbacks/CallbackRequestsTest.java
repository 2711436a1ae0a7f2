package io.updraft.callbacks;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.dag.Callbacks;
import io.updraft.dag.Dag;
import io.updraft.dag.Notifier;
import io.updraft.dag.Task;
import io.updraft.state.DagRunState;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.CallbackRequestRepository.NewCallback;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The truth table of which state change writes which callback. */
class CallbackRequestsTest {

  @Test
  void everyTaskTransitionAndItsEvent() {
    Map<TaskInstanceState, Map<TaskInstanceState, String>> table =
        new EnumMap<>(TaskInstanceState.class);
    for (TaskInstanceState from : TaskInstanceState.values()) {
      for (TaskInstanceState to : TaskInstanceState.values()) {
        String event = CallbackRequests.taskEvent(from, to);
        if (event != null) {
          table.computeIfAbsent(from, k -> new LinkedHashMap<>()).put(to, event);
        }
      }
    }
    assertThat(table)
        .isEqualTo(
            Map.of(
                TaskInstanceState.QUEUED,
                Map.of(TaskInstanceState.RUNNING, "on_execute"),
                TaskInstanceState.RUNNING,
                Map.of(
                    TaskInstanceState.SUCCESS, "on_success",
                    TaskInstanceState.FAILED, "on_failure",
                    TaskInstanceState.UP_FOR_RETRY, "on_retry",
                    TaskInstanceState.SKIPPED, "on_skipped"),
                // The triggerer ends a deferred try as a worker ends a running one.
                TaskInstanceState.DEFERRED,
                Map.of(
                    TaskInstanceState.SUCCESS, "on_success",
                    TaskInstanceState.FAILED, "on_failure",
                    TaskInstanceState.UP_FOR_RETRY, "on_retry",
                    TaskInstanceState.SKIPPED, "on_skipped")));
  }

  @Test
  void theSchedulersOwnChangesCallNoTaskCallback() {
    // As in Airflow: upstream_failed and skips decided by trigger rules run no callback.
    assertThat(
            CallbackRequests.taskEvent(TaskInstanceState.NONE, TaskInstanceState.UPSTREAM_FAILED))
        .isNull();
    assertThat(CallbackRequests.taskEvent(TaskInstanceState.SCHEDULED, TaskInstanceState.SKIPPED))
        .isNull();
    assertThat(
            CallbackRequests.taskEvent(
                TaskInstanceState.RESTARTING, TaskInstanceState.UP_FOR_RETRY))
        .isNull();
  }

  @Test
  void everyRunStateAndItsEvent() {
    Map<DagRunState, String> table = new EnumMap<>(DagRunState.class);
    for (DagRunState to : DagRunState.values()) {
      String event = CallbackRequests.runEvent(to);
      if (event != null) {
        table.put(to, event);
      }
    }
    assertThat(table)
        .isEqualTo(Map.of(DagRunState.SUCCESS, "on_success", DagRunState.FAILED, "on_failure"));
  }

  @Test
  void oneRowPerNotifierOfTheEvent() {
    Task task =
        Task.of("load", "shell", Map.of("command", "x"))
            .withCallbacks(
                new Callbacks(
                    Map.of(
                        "on_failure",
                        List.of(new Notifier.Shell("a"), new Notifier.Shell("b")),
                        "on_success",
                        List.of(new Notifier.Shell("c")))));
    List<NewCallback> rows =
        CallbackRequests.forTask(
            "d", "r", task, 2, TaskInstanceState.RUNNING, TaskInstanceState.FAILED, "boom");
    assertThat(rows).extracting(NewCallback::event).containsExactly("on_failure", "on_failure");
    assertThat(rows)
        .extracting(NewCallback::notifierJson)
        .containsExactly("{\"shell\":\"a\"}", "{\"shell\":\"b\"}");
    assertThat(rows.get(0))
        .extracting(NewCallback::taskId, NewCallback::tryNumber, NewCallback::reason)
        .containsExactly("load", 2, "boom");
    assertThat(
            CallbackRequests.forTask(
                "d", "r", task, 1, TaskInstanceState.RUNNING, TaskInstanceState.UP_FOR_RETRY, null))
        .isEmpty();
    Task none = Task.of("t", "shell", Map.of());
    assertThat(
            CallbackRequests.forTask(
                "d", "r", none, 1, TaskInstanceState.RUNNING, TaskInstanceState.FAILED, null))
        .isEmpty();
  }

  @Test
  void aRunsEndWritesTheDagsCallbacks() {
    Dag dag =
        new Dag(
            "d",
            null,
            null,
            null,
            null,
            null,
            false,
            1,
            1,
            null,
            null,
            null,
            List.of(),
            new Callbacks(Map.of("on_failure", List.of(new Notifier.Shell("page")))),
            null);
    assertThat(CallbackRequests.forRun(dag, "r", DagRunState.FAILED, "task_failure"))
        .extracting(NewCallback::taskId, NewCallback::event, NewCallback::reason)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(null, "on_failure", "task_failure"));
    assertThat(CallbackRequests.forRun(dag, "r", DagRunState.SUCCESS, null)).isEmpty();
  }
}
