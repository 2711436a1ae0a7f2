package io.updraft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.dag.Dag;
import io.updraft.sdk.Dags;
import io.updraft.sdk.Tasks;
import io.updraft.serde.DagSerializer;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.DagRepository;
import io.updraft.store.Database;
import io.updraft.store.DatabaseConfig;
import io.updraft.store.SerializedDagRepository;
import io.updraft.store.StateChange;
import io.updraft.store.TaskInstanceQueueing;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import io.updraft.store.TaskInstanceTries;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tasks logs}: whole, --tail, --follow, a closed pipe, and its errors. */
class TasksLogsTest {
  private static final Duration BOUND = Duration.ofSeconds(60);

  @TempDir Path home;

  private CliRun run(String... args) {
    List<String> all = new ArrayList<>(List.of("--home", home.toString()));
    all.addAll(List.of(args));
    return CliRun.of(all.toArray(String[]::new));
  }

  @BeforeEach
  void aRunOfADagInTheDatabase() {
    Dag dag =
        Dags.dag("orders")
            .schedule("@daily")
            .startDate("2024-01-01")
            .task(Tasks.shell("extract", "true"))
            .build();
    try (Database db = Database.open(DatabaseConfig.defaultUrl(home))) {
      db.migrate();
      Instant now = Instant.parse("2024-01-05T00:00:00Z");
      new SerializedDagRepository(db).store("orders", DagSerializer.serialize(dag), "o.yaml", now);
      new DagRepository(db).upsert(dag, "o.yaml", true, now);
    }
    assertThat(run("dags", "trigger", "orders", "--run-id", "r").exitCode()).isZero();
  }

  private Path log(int tryNumber) {
    return home.resolve(
        "logs/dag_id=orders/run_id=r/task_id=extract/attempt=" + tryNumber + ".log");
  }

  private TaskInstanceRow extract(TaskInstanceRepository tis) {
    return tis.listForRun("orders", "r").stream()
        .filter(t -> t.taskId().equals("extract"))
        .findFirst()
        .orElseThrow();
  }

  private void queueExtract() {
    try (Database db = Database.open(DatabaseConfig.defaultUrl(home))) {
      var tis = new TaskInstanceRepository(db);
      TaskInstanceRow ti = extract(tis);
      tis.setStates(
          List.of(new StateChange(ti.id(), TaskInstanceState.NONE, TaskInstanceState.SCHEDULED)),
          Instant.now());
      new TaskInstanceQueueing(db).queue(List.of(ti.id()), 1, Instant.now());
    }
  }

  private void startExtract() {
    try (Database db = Database.open(DatabaseConfig.defaultUrl(home))) {
      var tis = new TaskInstanceRepository(db);
      assertThat(new TaskInstanceTries(db).start(extract(tis).id(), "h", 1, Instant.now()))
          .isTrue();
    }
  }

  private void finishExtract() {
    try (Database db = Database.open(DatabaseConfig.defaultUrl(home))) {
      var tis = new TaskInstanceRepository(db);
      TaskInstanceRow ti = extract(tis);
      assertThat(
              new TaskInstanceTries(db)
                  .finishTry(
                      ti.id(),
                      ti.tryNumber(),
                      TaskInstanceState.RUNNING,
                      TaskInstanceState.SUCCESS,
                      Instant.now(),
                      null))
          .isTrue();
    }
  }

  private static void append(Path file, String text) throws Exception {
    Files.createDirectories(file.getParent());
    Files.writeString(
        file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
  }

  @Test
  void aRunThatDoesNotExistIsNamedAsSuch() {
    CliRun r = run("tasks", "logs", "orders", "no_such_run", "extract");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("has no run 'no_such_run'").contains("dags list-runs orders");
    assertThat(r.err()).doesNotContain("has no task");
    assertThat(r.err().lines()).hasSize(1);
  }

  @Test
  void tailPrintsTheLastLinesOnly() throws Exception {
    queueExtract();
    startExtract();
    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= 100_000; i++) {
      text.append("line ").append(i).append('\n');
    }
    append(log(1), text.toString());

    assertThat(run("tasks", "logs", "orders", "r", "extract", "--tail", "3").out())
        .isEqualTo("line 99998\nline 99999\nline 100000\n");
    assertThat(run("tasks", "logs", "orders", "r", "extract", "--tail", "0").out()).isEmpty();
    assertThat(run("tasks", "logs", "orders", "r", "extract", "--tail", "1000000").out())
        .isEqualTo(text.toString());
    append(log(1), "no newline at the end");
    assertThat(run("tasks", "logs", "orders", "r", "extract", "--tail", "2").out())
        .isEqualTo("line 100000\nno newline at the end");
    assertThat(run("tasks", "logs", "orders", "r", "extract").out())
        .isEqualTo(text + "no newline at the end");

    CliRun negative = run("tasks", "logs", "orders", "r", "extract", "--tail", "-1");
    assertThat(negative.exitCode()).isEqualTo(2);
    assertThat(negative.err().lines()).hasSize(1);
  }

  @Test
  void followPrintsWhatARunningTryWritesUntilItEnds() throws Exception {
    queueExtract();
    startExtract();
    append(log(1), "first\n");
    CompletableFuture<CliRun> follow =
        CompletableFuture.supplyAsync(
            () -> run("tasks", "logs", "orders", "r", "extract", "--follow"));
    append(log(1), "second\n");
    assertThat(follow).isNotDone(); // the try runs: it keeps following
    append(log(1), "footer\n");
    finishExtract();

    CliRun r = follow.get(BOUND.toSeconds(), TimeUnit.SECONDS);
    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("first\nsecond\nfooter\n");
  }

  @Test
  void followWaitsForAQueuedTryToStart() throws Exception {
    queueExtract();
    CliRun notYet = run("tasks", "logs", "orders", "r", "extract");
    assertThat(notYet.exitCode()).isEqualTo(2);
    assertThat(notYet.err()).contains("has not run yet (state queued)");

    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    picocli.CommandLine cl = UpdraftCommand.commandLine();
    cl.setOut(new java.io.PrintWriter(out, true));
    cl.setErr(new java.io.PrintWriter(err, true));
    CompletableFuture<Integer> follow =
        CompletableFuture.supplyAsync(
            () ->
                cl.execute(
                    "--home",
                    home.toString(),
                    "tasks",
                    "logs",
                    "orders",
                    "r",
                    "extract",
                    "-f",
                    "--tail",
                    "1"));
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (!err.toString().contains("waiting for try 1 of extract in r to start")
        && !follow.isDone()
        && System.nanoTime() < deadline) {
      Thread.sleep(10); // until it says it waits: only then does the try start
    }
    assertThat(err.toString()).contains("waiting for try 1 of extract in r to start");
    startExtract();
    append(log(1), "header\nonly line\n");
    finishExtract();

    assertThat(follow.get(BOUND.toSeconds(), TimeUnit.SECONDS)).as(err.toString()).isZero();
    assertThat(out.toString()).endsWith("only line\n");
  }

  /**
   * {@code updraft tasks logs ... | head -1}: the reader goes away after one line; the command must
   * stop at once, quietly, not go on through the rest of the log. The log is one line and then 4
   * GiB (sparse: no disk used) that nobody reads — the old line-by-line printing into a closed
   * System.out took minutes over such a file.
   */
  @Test
  void aClosedPipeStopsItAtOnce() throws Exception {
    queueExtract();
    startExtract();
    append(log(1), "first line\n");
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(log(1).toFile(), "rw")) {
      f.setLength(4L << 30);
    }
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of("--home", home.toString(), "tasks", "logs", "orders", "r", "extract"));
    Process p = new ProcessBuilder(command).start();
    try {
      try (BufferedReader in =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        assertThat(in.readLine()).isEqualTo("first line");
      } // closes our end of the pipe: the next write fails with EPIPE
      assertThat(p.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS))
          .as("tasks logs still running after its output was closed")
          .isTrue();
      assertThat(p.exitValue()).isZero();
      assertThat(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isEmpty();
    } finally {
      p.destroyForcibly();
    }
  }
}
