package io.updraft.worker;

import static io.updraft.worker.Tasks.dag;
import static io.updraft.worker.Tasks.shell;
import static io.updraft.worker.Tasks.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.dag.Dag;
import io.updraft.dag.Task;
import io.updraft.state.TaskInstanceState;
import io.updraft.timetable.DataInterval;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs real {@code bash} processes through the task runner. */
class TaskRunnerTest {

  static final Instant LOGICAL = Instant.parse("2024-01-31T02:00:00Z");
  static final String RUN_ID = "scheduled__2024-01-31T02:00:00+00:00";

  @TempDir Path logs;
  @TempDir Path work;
  @TempDir Path tmpRoot;

  RunnerSettings settings() {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("UPDRAFT_TEST_BASE", "inherited");
    return RunnerSettings.defaults()
        .withTempRoot(tmpRoot)
        .withBaseEnv(env)
        .withKillGrace(Duration.ofMillis(500))
        .withHeartbeatInterval(Duration.ofMillis(50));
  }

  TryOutcome run(Dag dag, String taskId) {
    return new TaskRunner(settings()).run(request(dag, taskId).build());
  }

  TryOutcome run(Task task) {
    return run(dag(Map.of(), task), task.taskId());
  }

  TryRequest.Builder request(Dag dag, String taskId) {
    return TryRequest.builder(dag, taskId, RUN_ID, LOGICAL, logs);
  }

  static String log(TryOutcome o) throws IOException {
    return Files.readString(o.logPath(), StandardCharsets.UTF_8);
  }

  @Test
  void successReturnsTheLastStdoutLineAndWritesTheLog() throws IOException {
    TryOutcome o = run(shell("t", "echo hello; echo world"));
    assertThat(o.state()).isEqualTo(TaskInstanceState.SUCCESS);
    assertThat(o.failure()).isEqualTo(FailureKind.NONE);
    assertThat(o.error()).isNull();
    assertThat(o.exitCode()).isZero();
    assertThat(o.returnValue()).isEqualTo("world");
    assertThat(o.start()).isBeforeOrEqualTo(o.end());
    assertThat(o.logPath())
        .isEqualTo(logs.resolve("dag_id=d/run_id=" + RUN_ID + "/task_id=t/attempt=1.log"));
    List<String> lines = Files.readAllLines(o.logPath());
    assertThat(lines.get(0))
        .matches("\\[\\d{4}-.*Z] \\[updraft] try 1 of dag_id=d run_id=.* task_id=t .*started");
    assertThat(lines.get(1)).contains("[updraft] running: bash -c 'echo hello; echo world'");
    assertThat(lines.subList(2, 4)).containsExactly("hello", "world");
    assertThat(lines.get(4)).endsWith("[updraft] command exited with code 0");
    assertThat(lines.get(5)).contains("[updraft] try finished: success, exit code 0, took ");
    assertThat(lines).hasSize(6);
  }

  @Test
  void logOfEachTryIsItsOwnFile() {
    Dag dag = dag(Map.of(), shell("t", "echo $UPDRAFT_CTX_TRY_NUMBER"));
    TryOutcome o = new TaskRunner(settings()).run(request(dag, "t").tryNumber(3).build());
    assertThat(o.logPath().getFileName().toString()).isEqualTo("attempt=3.log");
    assertThat(o.returnValue()).isEqualTo("3");
  }

  @Test
  void nonZeroExitFails() throws IOException {
    TryOutcome o = run(shell("t", "echo partial; exit 3"));
    assertThat(o.state()).isEqualTo(TaskInstanceState.FAILED);
    assertThat(o.failure()).isEqualTo(FailureKind.EXIT_CODE);
    assertThat(o.exitCode()).isEqualTo(3);
    assertThat(o.error()).isEqualTo("command exited with code 3");
    assertThat(log(o)).contains("[updraft] error: command exited with code 3");
    assertThat(log(o)).contains("try finished: failed, exit code 3");
  }

  @Test
  void skipExitCodeSkips() {
    TryOutcome skipped = run(shell("t", "exit 99"));
    assertThat(skipped.state()).isEqualTo(TaskInstanceState.SKIPPED);
    assertThat(skipped.failure()).isEqualTo(FailureKind.NONE);
    assertThat(skipped.exitCode()).isEqualTo(99);
  }

  @Test
  void customSkipExitCode() {
    Map<String, Object> args = Map.of("command", "exit 42", "skip_on_exit_code", 42);
    assertThat(run(task("t", "shell", args, Map.of(), null, List.of())).state())
        .isEqualTo(TaskInstanceState.SKIPPED);
    Map<String, Object> other = Map.of("command", "exit 99", "skip_on_exit_code", 42);
    assertThat(run(task("t", "shell", other, Map.of(), null, List.of())).state())
        .isEqualTo(TaskInstanceState.FAILED);
    Map<String, Object> none = new HashMap<>();
    none.put("command", "exit 99");
    none.put("skip_on_exit_code", null);
    assertThat(run(task("t", "shell", none, Map.of(), null, List.of())).state())
        .isEqualTo(TaskInstanceState.FAILED);
  }

  @Test
  void returnValueIsTheLastNonBlankStdoutLineNotStderr() {
    TryOutcome o = run(shell("t", "echo first; echo 'value  '; echo '   '; echo err >&2; echo"));
    assertThat(o.returnValue()).isEqualTo("value");
    assertThat(run(shell("t", "echo only-stderr >&2")).returnValue()).isNull();
    assertThat(run(shell("t", "printf 'no newline at end'")).returnValue())
        .isEqualTo("no newline at end");
  }

  @Test
  void configuredCwd() throws IOException {
    Files.writeString(work.resolve("input.txt"), "from cwd");
    Map<String, Object> args = Map.of("command", "pwd; cat input.txt", "cwd", work.toString());
    TryOutcome o = run(task("t", "shell", args, Map.of(), null, List.of()));
    assertThat(o.returnValue()).isEqualTo("from cwd");
    assertThat(log(o)).contains(work.toRealPath().toString());
  }

  @Test
  void defaultCwdIsAFreshTempFolderRemovedAfterwards() throws IOException {
    TryOutcome o = run(shell("t", "touch leftover; pwd"));
    Path cwd = Path.of((String) o.returnValue());
    assertThat(cwd.getParent().toRealPath()).isEqualTo(tmpRoot.toRealPath());
    assertThat(cwd.getFileName().toString()).startsWith("updraft-try-");
    assertThat(cwd).doesNotExist();
    try (var left = Files.list(tmpRoot)) {
      assertThat(left).isEmpty();
    }
  }

  /** SPEC §1.3: without cwd, a shell task runs in its DAG file's folder. */
  @Test
  void defaultCwdIsTheDagFilesFolder() throws IOException {
    Path dagFile = work.resolve("orders.yaml");
    Files.writeString(work.resolve("extract.sh"), "echo extracted $1\n");
    work.resolve("extract.sh").toFile().setExecutable(true);
    Dag dag = dag(Map.of(), shell("t", "./extract.sh {{ ds }}"));
    TryOutcome o = new TaskRunner(settings()).run(request(dag, "t").dagFile(dagFile).build());
    assertThat(o.state()).as(o.error()).isEqualTo(TaskInstanceState.SUCCESS);
    assertThat(o.returnValue()).isEqualTo("extracted 2024-01-31");
    assertThat(log(o)).contains("(cwd " + work.toAbsolutePath());
  }

  /** A worker without the DAG's folder runs the command in a temporary folder, and says so. */
  @Test
  void aDagFolderNotOnThisMachineFallsBackToATemporaryFolder() throws IOException {
    Path elsewhere = work.resolve("not-here/orders.yaml");
    Dag dag = dag(Map.of(), shell("t", "pwd"));
    TryOutcome o = new TaskRunner(settings()).run(request(dag, "t").dagFile(elsewhere).build());
    assertThat(o.state()).isEqualTo(TaskInstanceState.SUCCESS);
    assertThat(Path.of((String) o.returnValue()).getParent().toRealPath())
        .isEqualTo(tmpRoot.toRealPath());
    assertThat(log(o))
        .contains(
            "the DAG file's folder "
                + elsewhere.getParent()
                + " is not on this machine: running in a temporary folder");
  }

  @Test
  void missingCwdFailsWithoutRunning() throws IOException {
    Map<String, Object> args = Map.of("command", "true", "cwd", work.resolve("nope").toString());
    TryOutcome o = run(task("t", "shell", args, Map.of(), null, List.of()));
    assertThat(o.state()).isEqualTo(TaskInstanceState.FAILED);
    assertThat(o.failure()).isEqualTo(FailureKind.SETUP);
    assertThat(o.error()).contains("is not an existing folder");
    assertThat(o.exitCode()).isNull();
    assertThat(log(o)).contains("[updraft] error: cwd '");
  }

  /**
   * Defence in depth: a run_id that did not come through Updraft's checks (a row written into the
   * database by hand) cannot put a log outside the logs folder; the try fails before running.
   */
  @Test
  void aRunIdThatWouldLeaveTheLogsFolderFailsTheTryBeforeItRuns() throws IOException {
    Path root = Files.createDirectories(work.resolve("a/b/logs"));
    Path marker = work.resolve("ran");
    Dag dag = dag(Map.of(), shell("t", "touch " + marker));
    TryOutcome o =
        new TaskRunner(settings())
            .run(TryRequest.builder(dag, "t", "../../../../escape", LOGICAL, root).build());
    assertThat(o.state()).isEqualTo(TaskInstanceState.FAILED);
    assertThat(o.failure()).isEqualTo(FailureKind.SETUP);
    assertThat(o.error())
        .startsWith("cannot write this try's log: refusing")
        .contains("is not a plain file name");
    assertThat(o.logPath()).isNull();
    assertThat(marker).doesNotExist();
    try (var files = Files.walk(work)) {
      assertThat(files.filter(f -> !root.startsWith(f)))
          .as("nothing made but the logs root")
          .isEmpty();
    }
  }

  @Test
  void environmentIsUpdraftsPlusTaskEnvPlusContext() {
    Task t =
        task(
            "t",
            "shell",
            Map.of(
                "command",
                "echo \"$UPDRAFT_TEST_BASE|$DAY|$UPDRAFT_CTX_DAG_ID|$UPDRAFT_CTX_TASK_ID"
                    + "|$UPDRAFT_CTX_RUN_ID|$UPDRAFT_CTX_TRY_NUMBER|$UPDRAFT_CTX_LOGICAL_DATE\""),
            Map.of("DAY", "{{ ds }}", "UPDRAFT_CTX_DAG_ID", "cannot override"),
            null,
            List.of());
    assertThat(run(t).returnValue())
        .isEqualTo("inherited|2024-01-31|d|t|" + RUN_ID + "|1|2024-01-31T02:00:00+00:00");
  }

  @Test
  void commandTemplatesSeeTheWholeContext() {
    Task extract = shell("extract", "true");
    Task t =
        task(
            "load",
            "shell",
            Map.of(
                "command",
                "echo {{ ds }} {{ ti.xcom_pull(task_ids='extract') }} {{ params.table }}"
                    + " {{ dag_run.conf.mode }} {{ ti.try_number }} {{ data_interval_end }}"),
            Map.of(),
            null,
            List.of("extract"));
    Dag dag = dag(Map.of("table", "orders", "mode", "default"), extract, t);
    XComLookup xcoms =
        (d, r, task, key) ->
            d.equals("d")
                    && r.equals(RUN_ID)
                    && task.equals("extract")
                    && key.equals("return_value")
                ? Optional.of("/data/f.csv")
                : Optional.empty();
    TryOutcome o =
        new TaskRunner(settings())
            .run(
                request(dag, "load")
                    .xcoms(xcoms)
                    .conf(Map.of("mode", "full"))
                    .dataInterval(new DataInterval(LOGICAL, LOGICAL.plus(Duration.ofDays(1))))
                    .tryNumber(2)
                    .build());
    assertThat(o.returnValue())
        .isEqualTo("2024-01-31 /data/f.csv orders full 2 2024-02-01 02:00:00+00:00");
  }

  @Test
  void renderingErrorFailsTheTryWithAOneLineMessageInTheLog() throws IOException {
    TryOutcome o = run(shell("t", "echo {{ undefined_thing }} && touch ran"));
    assertThat(o.state()).isEqualTo(TaskInstanceState.FAILED);
    assertThat(o.failure()).isEqualTo(FailureKind.TEMPLATE);
    assertThat(o.error())
        .startsWith("cannot render command of task 't': unknown variable 'undefined_thing'")
        .doesNotContain("\n");
    assertThat(o.exitCode()).isNull();
    assertThat(log(o)).contains("[updraft] error: " + o.error());
    assertThat(log(o)).doesNotContain("running:");
  }

  @Test
  void thePreviousSuccessIsReadOnlyWhenATemplateNeedsItAndThenOnce() {
    AtomicInteger reads = new AtomicInteger();
    java.util.function.Supplier<io.updraft.worker.template.PreviousSuccess> prev =
        () -> {
          reads.incrementAndGet();
          return new io.updraft.worker.template.PreviousSuccess(LOGICAL, LOGICAL, LOGICAL);
        };
    TaskRunner runner = new TaskRunner(settings());
    Dag plain = dag(Map.of(), shell("t", "echo plain"));
    assertThat(runner.run(request(plain, "t").previousSuccess(prev).build()).returnValue())
        .isEqualTo("plain");
    assertThat(reads).as("no template, no query").hasValue(0);

    Dag templated =
        dag(Map.of(), shell("t", "echo {{ prev_start_date_success | string | length > 0 }}"));
    assertThat(runner.run(request(templated, "t").previousSuccess(prev).build()).returnValue())
        .isEqualTo("True");
    assertThat(reads).hasValue(1);
  }

  @Test
  void stdoutAndStderrLinesAreLoggedInTheOrderTheyCame() throws IOException {
    TryOutcome o =
        run(
            shell(
                "t",
                "echo out-1; sleep 0.1; echo err-1 >&2; sleep 0.1; echo out-2; sleep 0.1;"
                    + " echo err-2 >&2"));
    assertThat(o.returnValue()).isEqualTo("out-2");
    assertThat(Files.readAllLines(o.logPath()))
        .filteredOn(l -> l.startsWith("out-") || l.startsWith("err-"))
        .containsExactly("out-1", "err-1", "out-2", "err-2");
  }

  @Test
  void shortTriesReuseTheOutputReadersInsteadOfStartingThreads() {
    TaskRunner runner = new TaskRunner(settings());
    Dag d = dag(Map.of(), shell("t", "echo x; echo y >&2"));
    runner.run(request(d, "t").build()); // the pool has its readers
    int before = highestReaderNumber();
    for (int i = 1; i <= 20; i++) {
      assertThat(runner.run(request(d, "t").tryNumber(i).build()).returnValue()).isEqualTo("x");
    }
    // Two pipes per try: 40 threads if each try started its own. A reader back in the pool a
    // moment after the next try asks for one makes the pool start another now and then.
    assertThat(highestReaderNumber() - before).isLessThan(10);
  }

  private static int highestReaderNumber() {
    return Thread.getAllStackTraces().keySet().stream()
        .map(Thread::getName)
        .filter(n -> n.startsWith("updraft-output-"))
        .mapToInt(n -> Integer.parseInt(n.substring("updraft-output-".length())))
        .max()
        .orElse(-1);
  }

  @Test
  void invalidUtf8IsKeptAsBackslashEscapes() throws IOException {
    TryOutcome o = run(shell("t", "printf 'ok \\xff\\xfe end \\xc3\\xa9\\n'"));
    assertThat(o.returnValue()).isEqualTo("ok \\xff\\xfe end é");
    assertThat(log(o)).contains("\nok \\xff\\xfe end é\n");
  }

  @Test
  void tenMegabytesOfOutputOnBothPipesDoNotDeadlock() throws IOException {
    TryOutcome o =
        run(
            shell(
                "t",
                "(yes err-line | head -n 200000 >&2) & "
                    + "yes 0123456789012345678901234567890123456789 | head -n 250000; "
                    + "wait; echo done"));
    assertThat(o.state()).isEqualTo(TaskInstanceState.SUCCESS);
    assertThat(o.returnValue()).isEqualTo("done");
    long outLines;
    long errLines;
    try (var lines = Files.lines(o.logPath())) {
      List<String> all = lines.toList();
      outLines = all.stream().filter(l -> l.startsWith("0123456789")).count();
      errLines = all.stream().filter(l -> l.equals("err-line")).count();
    }
    assertThat(outLines).isEqualTo(250_000); // 41 bytes each: 10.25 MB
    assertThat(errLines).isEqualTo(200_000);
    assertThat(Files.size(o.logPath())).isGreaterThan(10_000_000);
  }

  @Test
  void aHugeLineWithoutNewlinesIsCutIntoBoundedPieces() throws IOException {
    TryOutcome o = run(shell("t", "head -c 200000 /dev/zero | tr '\\0' x"));
    assertThat(o.state()).isEqualTo(TaskInstanceState.SUCCESS);
    List<String> out =
        Files.readAllLines(o.logPath()).stream().filter(l -> l.startsWith("xxx")).toList();
    assertThat(out).hasSize(4);
    assertThat(out.stream().mapToInt(String::length).sum()).isEqualTo(200_000);
    assertThat(out).allMatch(l -> l.length() <= OutputPump.MAX_LINE);
  }

  /** Issue 10: a 20 MB last line came back as its last 11,520 characters, without a word. */
  @Test
  void aReturnValueOverMaxXComSizeFailsTheTryWithOneLineNamingItsSizeAndTheSetting()
      throws IOException {
    TryOutcome o = run(shell("t", "head -c 20000000 /dev/zero | tr '\\0' x"));
    assertThat(o.state()).isEqualTo(TaskInstanceState.FAILED);
    assertThat(o.failure()).isEqualTo(FailureKind.XCOM_TOO_LARGE);
    assertThat(o.returnValue()).isNull();
    assertThat(o.error())
        .contains("20,000,000 bytes")
        .contains("core.max_xcom_size (1,048,576 bytes)")
        .contains("raise core.max_xcom_size")
        .doesNotContain("\n");
    assertThat(log(o)).contains("[updraft] error: " + o.error());
    assertThat(log(o)).contains("try finished: failed, exit code 0");
  }

  @Test
  void aReturnValueUpToTheLimitComesBackWholeAndOneByteMoreFails() {
    int limit = 200_000; // the JSON of a line of n characters is n + 2 bytes: its quotes
    TaskRunner runner = new TaskRunner(settings().withMaxXComSize(limit));
    java.util.function.IntFunction<TryOutcome> printing =
        n ->
            runner.run(
                request(dag(Map.of(), shell("t", "head -c " + n + " /dev/zero | tr '\\0' x")), "t")
                    .build());
    TryOutcome whole = printing.apply(199_998);
    assertThat(whole.state()).isEqualTo(TaskInstanceState.SUCCESS);
    assertThat((String) whole.returnValue()).hasSize(199_998).matches("x+");

    TryOutcome over = printing.apply(199_999);
    assertThat(over.failure()).isEqualTo(FailureKind.XCOM_TOO_LARGE);
    assertThat(over.error()).contains("200,001 bytes as JSON").contains("(200,000 bytes)");
  }

  @Test
  void aHugeLineBeforeTheLastOneIsNotKeptAndDoesNotMatter() {
    TryOutcome o =
        run(shell("t", "head -c 30000000 /dev/zero | tr '\\0' x; echo; printf 'done\\r\\n \\n'"));
    assertThat(o.state()).isEqualTo(TaskInstanceState.SUCCESS);
    assertThat(o.returnValue()).isEqualTo("done");
  }

  @Test
  void aSkippedOrFailedTryIsNotFailedForItsLastLinesSize() {
    TryOutcome skipped = run(shell("t", "head -c 2000000 /dev/zero | tr '\\0' x; exit 99"));
    assertThat(skipped.state()).isEqualTo(TaskInstanceState.SKIPPED);
    TryOutcome failed = run(shell("t", "head -c 2000000 /dev/zero | tr '\\0' x; exit 3"));
    assertThat(failed.failure()).isEqualTo(FailureKind.EXIT_CODE);
  }

  @Test
  void executionTimeoutKillsTheWholeTreeIncludingAGrandchild() throws Exception {
    Path pidFile = work.resolve("grandchild.pid");
    Map<String, Object> args =
        Map.of(
            "command",
            "( sleep 300 & echo $! > grandchild.pid; wait ); echo unreachable",
            "cwd",
            work.toString());
    TryOutcome o = run(task("t", "shell", args, Map.of(), Duration.ofSeconds(2), List.of()));
    assertThat(o.state()).isEqualTo(TaskInstanceState.FAILED);
    assertThat(o.failure()).isEqualTo(FailureKind.TIMED_OUT);
    assertThat(o.error()).isEqualTo("timed out after 2s");
    assertThat(log(o)).contains("[updraft] timed out after 2s: killing the process tree");
    assertThat(log(o)).doesNotContain("\nunreachable");
    long pid = Long.parseLong(Files.readString(pidFile).strip());
    assertDiesSoon(pid);
  }

  /**
   * The shell is signalled before its children: killed children first, bash went on to its next
   * command in the moment before its own signal arrived. Two things keep that from depending on
   * luck: the next command is a builtin writing a file (no fork to wait for), and a hundred
   * grandchildren come after the foreground sleep in the tree, so children first, they were all
   * signalled between that sleep and bash.
   */
  @Test
  void aTimedOutShellRunsNoFurtherCommand() throws Exception {
    Path marker = work.resolve("marker");
    Map<String, Object> args =
        Map.of(
            "command",
            "(for i in $(seq 100); do sleep 300 & done; wait) & sleep 30; echo next > " + marker,
            "cwd",
            work.toString());
    TryOutcome o = run(task("t", "shell", args, Map.of(), Duration.ofSeconds(1), List.of()));
    assertThat(o.state()).isEqualTo(TaskInstanceState.FAILED);
    assertThat(o.failure()).isEqualTo(FailureKind.TIMED_OUT);
    assertNeverAppears(marker);
  }

  @Test
  void aTreeIgnoringSigtermIsKilledAfterTheGracePeriod() throws Exception {
    Map<String, Object> args =
        Map.of(
            "command",
            "trap '' TERM; echo $$ > shell.pid; sleep 300 & echo $! > child.pid; wait",
            "cwd",
            work.toString());
    TryOutcome o = run(task("t", "shell", args, Map.of(), Duration.ofMillis(700), List.of()));
    assertThat(o.failure()).isEqualTo(FailureKind.TIMED_OUT);
    assertThat(o.exitCode()).isEqualTo(137); // SIGKILL
    assertDiesSoon(Long.parseLong(Files.readString(work.resolve("shell.pid")).strip()));
    assertDiesSoon(Long.parseLong(Files.readString(work.resolve("child.pid")).strip()));
  }

  @Test
  void cancellationKillsTheTree() throws Exception {
    Path pidFile = work.resolve("grandchild.pid");
    Map<String, Object> args =
        Map.of(
            "command",
            "( sleep 300 & echo $! > grandchild.pid.tmp; mv grandchild.pid.tmp grandchild.pid;"
                + " wait )",
            "cwd",
            work.toString());
    Dag dag = dag(Map.of(), task("t", "shell", args, Map.of(), null, List.of()));
    AtomicReference<TryExecution> execution = new AtomicReference<>();
    // Cancel from the heartbeat once the grandchild exists: no sleeping in the test.
    Heartbeat cancelWhenStarted =
        now -> {
          if (Files.exists(pidFile)) {
            execution.get().cancel("marked failed by test");
          }
        };
    TaskRunner runner = new TaskRunner(settings());
    synchronized (execution) {
      execution.set(runner.start(request(dag, "t").heartbeat(cancelWhenStarted).build()));
    }
    TryOutcome o = execution.get().outcome().get(60, TimeUnit.SECONDS);
    assertThat(o.state()).isEqualTo(TaskInstanceState.FAILED);
    assertThat(o.failure()).isEqualTo(FailureKind.CANCELLED);
    assertThat(o.error()).isEqualTo("cancelled: marked failed by test");
    assertThat(log(o)).contains("cancelled (marked failed by test): killing the process tree");
    assertDiesSoon(Long.parseLong(Files.readString(pidFile).strip()));
  }

  @Test
  void heartbeatIsCalledWhileTheProcessRuns() {
    AtomicInteger beats = new AtomicInteger();
    Dag dag = dag(Map.of(), shell("t", "sleep 0.5"));
    TryOutcome o =
        new TaskRunner(settings())
            .run(request(dag, "t").heartbeat(now -> beats.incrementAndGet()).build());
    assertThat(o.state()).isEqualTo(TaskInstanceState.SUCCESS);
    assertThat(beats.get()).isPositive();
  }

  @Test
  void emptySucceedsWithoutProcessOrLog() {
    TryOutcome o = run(task("t", "empty", Map.of(), Map.of(), null, List.of()));
    assertThat(o.state()).isEqualTo(TaskInstanceState.SUCCESS);
    assertThat(o.exitCode()).isNull();
    assertThat(o.logPath()).isNull();
    assertThat(logs).isEmptyDirectory();
  }

  /** A task whose operator this worker does not know (its DAG did not come through the checks). */
  @Test
  void operatorsNotImplementedYetFailClearly() throws IOException {
    for (String op : List.of("nonesuch")) {
      TryOutcome o = run(task("t", op, Map.of(), Map.of(), null, List.of()));
      assertThat(o.state()).isEqualTo(TaskInstanceState.FAILED);
      assertThat(o.failure()).isEqualTo(FailureKind.UNSUPPORTED_OPERATOR);
      assertThat(o.error()).isEqualTo("operator " + op + " is not supported yet");
    }
  }

  @Test
  void branchFollowsTheTaskIdsOfItsLastLine() {
    Task branch = task("b", "branch", Map.of("command", "echo 'a, c'"), Map.of(), null, List.of());
    Dag dag = branchDag(branch);
    TryOutcome o = run(dag, "b");
    assertThat(o.state()).isEqualTo(TaskInstanceState.SUCCESS);
    assertThat(o.downstream()).isEqualTo(new Downstream.Follow(List.of("a", "c")));

    Task json =
        task("b", "branch", Map.of("command", "echo '[\"b2\"]'"), Map.of(), null, List.of());
    assertThat(run(branchDag(json), "b").downstream())
        .isEqualTo(new Downstream.Follow(List.of("b2")));

    Task none = task("b", "branch", Map.of("command", "true"), Map.of(), null, List.of());
    assertThat(run(branchDag(none), "b").downstream()).isEqualTo(new Downstream.Follow(List.of()));

    Task unknown = task("b", "branch", Map.of("command", "echo z"), Map.of(), null, List.of());
    TryOutcome bad = run(branchDag(unknown), "b");
    assertThat(bad.state()).isEqualTo(TaskInstanceState.FAILED);
    assertThat(bad.failure()).isEqualTo(FailureKind.BAD_OUTPUT);
    assertThat(bad.error()).contains("chose z, not task_ids of DAG 'd'");

    Task failing = task("b", "branch", Map.of("command", "exit 99"), Map.of(), null, List.of());
    assertThat(run(branchDag(failing), "b").state()).isEqualTo(TaskInstanceState.FAILED);
  }

  private static Dag branchDag(Task branch) {
    return dag(
        Map.of(),
        branch,
        task("a", "empty", Map.of(), Map.of(), null, List.of("b")),
        task("b2", "empty", Map.of(), Map.of(), null, List.of("b")),
        task("c", "empty", Map.of(), Map.of(), null, List.of("b")));
  }

  @Test
  void shortCircuitSkipsDownstreamOnNonZeroExit() {
    Task go = task("s", "short_circuit", Map.of("command", "true"), Map.of(), null, List.of());
    TryOutcome proceed = run(go);
    assertThat(proceed.state()).isEqualTo(TaskInstanceState.SUCCESS);
    assertThat(proceed.downstream()).isEqualTo(Downstream.PROCEED);

    Task stop = task("s", "short_circuit", Map.of("command", "exit 1"), Map.of(), null, List.of());
    TryOutcome skip = run(stop);
    assertThat(skip.state()).isEqualTo(TaskInstanceState.SUCCESS);
    assertThat(skip.downstream()).isEqualTo(new Downstream.SkipAll());
  }

  /** Watches for a file that must not be created, for two seconds. */
  static void assertNeverAppears(Path file) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (System.nanoTime() < deadline) {
      assertThat(file).as("created after the timeout").doesNotExist();
      Thread.sleep(50);
    }
    assertThat(file).as("created after the timeout").doesNotExist();
  }

  /** Bounded polling for a process to disappear: the only waiting these tests do. */
  static void assertDiesSoon(long pid) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)) {
        return;
      }
      Thread.sleep(20);
    }
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
        .as("process %d is still alive", pid)
        .isFalse();
  }
}
