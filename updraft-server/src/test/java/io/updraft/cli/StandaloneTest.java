package io.updraft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.state.DagRunState;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.DagRunRepository;
import io.updraft.store.DagRunRow;
import io.updraft.store.Database;
import io.updraft.store.ImportErrorRepository;
import io.updraft.store.SerializedDagRepository;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import io.updraft.store.XComRepository;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** standalone in-process: a DAG in the folder is synced, scheduled and run with real processes. */
class StandaloneTest {
  @TempDir Path home;

  @Test
  void runsTheNewestIntervalOfAnUnpausedDag() throws Exception {
    Path dags = Files.createDirectories(home.resolve("dags"));
    Files.writeString(
        dags.resolve("h.yaml"),
        """
        dag_id: h
        schedule: "@hourly"
        start_date: 2024-01-01
        tasks:
          - {task_id: a, operator: shell, command: "echo {{ ds }}"}
          - {task_id: b, operator: shell, command: "true", upstream: [a]}
        """);
    Settings settings =
        Settings.resolve(
            home, null, null, Map.of("UPDRAFT_CORE_DAGS_ARE_PAUSED_AT_CREATION", "false"));
    StringWriter banner = new StringWriter();
    List<DagRunRow> runs;
    try (SchedulerService standalone =
        new SchedulerService(
            settings,
            Clock.systemUTC(),
            new SchedulerService.Mode("standalone", true, true, true))) {
      standalone.start(new PrintWriter(banner, true));
      try (Database db = settings.openDatabase()) {
        DagRunRepository repo = new DagRunRepository(db);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        runs = repo.list("h", 10);
        while ((runs.isEmpty() || !runs.get(0).state().isFinished())
            && System.nanoTime() < deadline) {
          Thread.sleep(20);
          runs = repo.list("h", 10);
        }
      }
    }
    assertThat(banner.toString()).contains("Updraft standalone is running").contains("1 DAGs");
    assertThat(banner.toString()).contains("created a Fernet key in " + home.resolve("fernet.key"));
    assertThat(home.resolve("fernet.key")).isRegularFile();
    assertThat(runs).hasSize(1);
    assertThat(runs.get(0).runId()).startsWith("scheduled__");
    assertThat(runs.get(0).state()).isEqualTo(DagRunState.SUCCESS);
  }

  /**
   * The file changes under a running run: first a cycle (an import error; the DAG keeps its last
   * good version and the run goes on), then a new task (not part of the running run). Real files,
   * the DAG processor's file-system events, real processes.
   */
  @Test
  void aCycleIntroducedMidRunIsAnImportErrorAndTheRunFinishesOnItsVersion() throws Exception {
    Path dags = Files.createDirectories(home.resolve("dags"));
    Path gate = home.resolve("gate");
    String good =
        """
        dag_id: m
        schedule: null
        tasks:
          - {task_id: a, operator: shell, command: "while [ ! -e GATE ]; do sleep 0.05; done"}
          - {task_id: b, operator: shell, command: "true", upstream: [a]}
        """
            .replace("GATE", gate.toString());
    Path file = dags.resolve("m.yaml");
    Files.writeString(file, good);
    Settings settings =
        Settings.resolve(
            home, null, null, Map.of("UPDRAFT_CORE_DAGS_ARE_PAUSED_AT_CREATION", "false"));
    try (SchedulerService standalone =
        new SchedulerService(
            settings,
            Clock.systemUTC(),
            new SchedulerService.Mode("standalone", true, true, true))) {
      standalone.start(new PrintWriter(new StringWriter(), true));
      CliRun trigger =
          CliRun.of("--home", home.toString(), "dags", "trigger", "m", "--run-id", "r");
      assertThat(trigger.exitCode()).as(trigger.err()).isZero();
      try (Database db = settings.openDatabase()) {
        TaskInstanceRepository tis = new TaskInstanceRepository(db);
        await("a running", () -> state(tis, "a") == TaskInstanceState.RUNNING);

        String cyclic =
            good.replace(
                    "{task_id: a, operator: shell,", "{task_id: a, upstream: [c], operator: shell,")
                + "  - {task_id: c, operator: shell, command: \"true\", upstream: [b]}\n";
        Files.writeString(file, cyclic);
        ImportErrorRepository errors = new ImportErrorRepository(db);
        await("the cycle reported", () -> !errors.list().isEmpty());
        assertThat(errors.list().get(0).message()).startsWith("cycle:");

        Files.createFile(gate);
        DagRunRepository runs = new DagRunRepository(db);
        await("the run to finish", () -> runs.get("m", "r").orElseThrow().state().isFinished());
        assertThat(runs.get("m", "r").orElseThrow().state()).isEqualTo(DagRunState.SUCCESS);
        assertThat(tis.listForRun("m", "r"))
            .extracting(TaskInstanceRow::taskId)
            .containsOnly("a", "b");

        Files.writeString(file, good); // fixed: the error goes
        await("the error cleared", () -> errors.list().isEmpty());
      }
    }
  }

  /**
   * A Java DAG whose custom operator changes while a run is under way: the processor stores the new
   * code as a new bundle and version, the running run still runs the operator code it started with,
   * and a new run runs the new code. Parse in a child JVM, bundle through the database, each try in
   * a JVM of its own.
   */
  @Test
  void aRunKeepsTheCustomOperatorCodeItStartedWith() throws Exception {
    Path dags = Files.createDirectories(home.resolve("dags"));
    Path gate = home.resolve("gate");
    String source =
        """
        import io.updraft.dag.Dag;
        import io.updraft.sdk.*;
        import java.util.List;

        public class Versioned implements DagSource {
          public static class Say implements Operator {
            public Object execute(TaskContext ctx) {
              ctx.log().println("operator code VERSION");
              return "VERSION";
            }
          }

          public List<Dag> dags() {
            return List.of(Dags.dag("versioned")
                .task(Tasks.shell("wait", "while [ ! -e GATE ]; do sleep 0.05; done"))
                .task(Tasks.custom("say", Say.class).upstream("wait"))
                .build());
          }
        }
        """
            .replace("GATE", gate.toString());
    Path file = dags.resolve("Versioned.java");
    Files.writeString(file, source.replace("VERSION", "v1"));
    Settings settings =
        Settings.resolve(
            home, null, null, Map.of("UPDRAFT_CORE_DAGS_ARE_PAUSED_AT_CREATION", "false"));
    try (SchedulerService standalone =
            new SchedulerService(
                settings,
                Clock.systemUTC(),
                new SchedulerService.Mode("standalone", true, true, true));
        Database db = settings.openDatabase()) {
      standalone.start(new PrintWriter(new StringWriter(), true));
      SerializedDagRepository versions = new SerializedDagRepository(db);
      await("the Java DAG stored", () -> versions.latest("versioned").isPresent());
      assertThat(trigger("r1").exitCode()).isZero();
      TaskInstanceRepository tis = new TaskInstanceRepository(db);
      await("r1 waiting", () -> state(tis, "versioned", "r1", "wait") == TaskInstanceState.RUNNING);

      Files.writeString(file, source.replace("VERSION", "v2"));
      await("version 2 stored", () -> versions.versions("versioned").size() == 2);
      Files.createFile(gate);
      assertThat(trigger("r2").exitCode()).isZero();

      DagRunRepository runs = new DagRunRepository(db);
      for (String run : List.of("r1", "r2")) {
        await(
            run + " finished", () -> runs.get("versioned", run).orElseThrow().state().isFinished());
        assertThat(runs.get("versioned", run).orElseThrow().state()).isEqualTo(DagRunState.SUCCESS);
      }
      XComRepository xcoms = new XComRepository(db);
      assertThat(xcoms.get("versioned", "r1", "say", "return_value")).contains("\"v1\"");
      assertThat(xcoms.get("versioned", "r2", "say", "return_value")).contains("\"v2\"");
    }
  }

  private CliRun trigger(String runId) {
    return CliRun.of("--home", home.toString(), "dags", "trigger", "versioned", "--run-id", runId);
  }

  private static TaskInstanceState state(
      TaskInstanceRepository tis, String dagId, String runId, String taskId) {
    return tis.listForRun(dagId, runId).stream()
        .filter(t -> t.taskId().equals(taskId))
        .findFirst()
        .map(TaskInstanceRow::state)
        .orElse(null);
  }

  private static TaskInstanceState state(TaskInstanceRepository tis, String taskId) {
    return state(tis, "m", "r", taskId);
  }

  private static void await(String what, java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }
}
