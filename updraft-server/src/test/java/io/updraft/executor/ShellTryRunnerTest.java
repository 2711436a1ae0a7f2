package io.updraft.executor;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.dag.Dag;
import io.updraft.dag.Task;
import io.updraft.sdk.Dags;
import io.updraft.sdk.TaskBuilder;
import io.updraft.sdk.Tasks;
import io.updraft.state.DagRunState;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.DagRunRow;
import io.updraft.store.RunType;
import io.updraft.store.TaskInstanceRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real bash processes: outcomes, return values, logs, templates, timeouts. */
class ShellTryRunnerTest {
  private static final Instant LOGICAL = Instant.parse("2024-03-31T01:00:00Z");

  @TempDir Path logs;
  @TempDir Path work;

  private TryRunner.Result run(TaskBuilder task) throws Exception {
    return run(task, null);
  }

  private TryRunner.Result run(TaskBuilder task, String conf) throws Exception {
    Dag dag = Dags.dag("d").param("table", "orders").task(task).build();
    Task t = dag.tasks().get(0);
    DagRunRow run =
        new DagRunRow(
            1,
            "d",
            "manual__x",
            RunType.MANUAL,
            DagRunState.RUNNING,
            LOGICAL,
            LOGICAL,
            LOGICAL.plus(Duration.ofDays(1)),
            LOGICAL,
            null,
            null,
            null,
            true,
            conf,
            "h",
            null,
            null,
            0);
    TaskInstanceRow ti =
        new TaskInstanceRow(
            7,
            "d",
            "manual__x",
            t.taskId(),
            -1,
            TaskInstanceState.RUNNING,
            1,
            0,
            1,
            "default_pool",
            1,
            "default",
            "shell",
            LOGICAL,
            null,
            null,
            "h",
            1,
            null,
            null,
            null,
            null,
            null);
    return new ShellTryRunner(logs).run(new TryRunner.Request(dag, t, run, ti));
  }

  private String log(String taskId) throws Exception {
    return Files.readString(
        logs.resolve("dag_id=d/run_id=manual__x/task_id=" + taskId + "/attempt=1.log"));
  }

  @Test
  void successReturnsTheLastNonEmptyLine() throws Exception {
    TryRunner.Result r = run(Tasks.shell("t", "echo first; echo 'the \"answer\"'; echo"));
    assertThat(r.state()).isEqualTo(TaskInstanceState.SUCCESS);
    assertThat(r.returnValueJson()).isEqualTo("\"the \\\"answer\\\"\"");
    assertThat(log("t")).contains("first").contains("exit code 0");
  }

  @Test
  void exitCodesDecideTheOutcome() throws Exception {
    assertThat(run(Tasks.shell("a", "exit 3")).state()).isEqualTo(TaskInstanceState.FAILED);
    assertThat(run(Tasks.shell("a", "exit 3")).error()).contains("code 3");
    assertThat(run(Tasks.shell("b", "exit 99")).state()).isEqualTo(TaskInstanceState.SKIPPED);
    assertThat(run(Tasks.shell("c", "exit 42").arg("skip_on_exit_code", 42)).state())
        .isEqualTo(TaskInstanceState.SKIPPED);
    assertThat(run(Tasks.shell("d", "true")).returnValueJson()).isNull();
  }

  @Test
  void stderrGoesToTheLogToo() throws Exception {
    run(Tasks.shell("e", "echo oops >&2; exit 1"));
    assertThat(log("e")).contains("oops").contains("exit code 1");
  }

  @Test
  void cwdAndEnv() throws Exception {
    TryRunner.Result r =
        run(
            Tasks.shell("w", "echo \"$(pwd):$GREETING\"")
                .arg("cwd", work.toString())
                .env("GREETING", "hi"));
    assertThat(r.returnValueJson()).isEqualTo("\"" + work.toRealPath() + ":hi\"");
  }

  @Test
  void templatesRenderAirflowsContextNames() throws Exception {
    TryRunner.Result r =
        run(
            Tasks.shell(
                "tpl",
                "echo {{ ds }} {{ ds_nodash }} {{ ts }} {{ run_id }} {{ params.table }}"
                    + " {{ conf.x }} {{ ti.try_number }} {{data_interval_end}}"),
            "{\"x\": \"from-conf\", \"table\": \"overridden\"}");
    assertThat(r.returnValueJson())
        .isEqualTo(
            "\"2024-03-31 20240331 2024-03-31T01:00:00+00:00 manual__x overridden from-conf 1"
                + " 2024-04-01T01:00:00+00:00\"");
  }

  @Test
  void unsupportedOrUnknownTemplatesFailTheTryClearly() throws Exception {
    TryRunner.Result unknown = run(Tasks.shell("u", "echo {{ nope }}"));
    assertThat(unknown.state()).isEqualTo(TaskInstanceState.FAILED);
    assertThat(unknown.error()).contains("unknown template variable 'nope'");
    TryRunner.Result call = run(Tasks.shell("v", "echo {{ ti.xcom_pull(task_ids='a') }}"));
    assertThat(call.error()).contains("not supported yet");
    assertThat(log("v")).contains("cannot render");
  }

  @Test
  void executionTimeoutKillsTheWholeProcessTree() throws Exception {
    Path pidFile = work.resolve("pid");
    TryRunner.Result r =
        run(
            Tasks.shell("slow", "bash -c 'sleep 300 & echo $! > " + pidFile + "; wait'")
                .executionTimeout("2s"));
    assertThat(r.state()).isEqualTo(TaskInstanceState.FAILED);
    assertThat(r.error()).contains("timed out");
    long grandchild = Long.parseLong(Files.readString(pidFile).trim());
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (ProcessHandle.of(grandchild).map(ProcessHandle::isAlive).orElse(false)
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(ProcessHandle.of(grandchild).map(ProcessHandle::isAlive).orElse(false))
        .as("the grandchild sleep is gone")
        .isFalse();
    assertThat(log("slow")).contains("killed: execution_timeout");
  }

  @Test
  void lotsOfOutputDoesNotDeadlock() throws Exception {
    TryRunner.Result r =
        run(Tasks.shell("big", "yes 0123456789abcdef | head -n 600000; echo done"));
    assertThat(r.state()).isEqualTo(TaskInstanceState.SUCCESS);
    assertThat(r.returnValueJson()).isEqualTo("\"done\"");
  }
}
