package io.updraft.bench;

import io.updraft.scheduler.DagVersions;
import io.updraft.scheduler.ManualRuns;
import io.updraft.state.TaskInstanceState;
import io.updraft.store.DagRunRow;
import io.updraft.store.Database;
import io.updraft.store.SerializedDagRepository;
import io.updraft.store.StateChange;
import io.updraft.store.TaskInstanceQueueing;
import io.updraft.store.TaskInstanceRepository;
import io.updraft.store.TaskInstanceRow;
import io.updraft.store.TaskInstanceTries;
import io.updraft.worker.TryLog;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code updraft tasks logs} of a finished try whose log is {@code megabytes} MB of 100-byte lines,
 * against {@code cat} of the same file in the same run (issue 10: 8 min 45 s for 200 MB, where cat
 * takes 0.1 s). Both write to a file. Its main figure is the command's wall time, JVM start
 * included; {@code cat_s} is cat's, {@code start_s} that of {@code tasks logs --tail 1} on the same
 * try (the JVM, the database and the command without the copying), and {@code ratio} = (main −
 * start_s) / cat_s: the copying against cat's (target: at most 2).
 */
record TasksLogsWorkload(int megabytes) implements Workload {

  @Override
  public String scenario() {
    return "tasks-logs";
  }

  @Override
  public String label() {
    return megabytes + "MB";
  }

  @Override
  public int tasks() {
    return 1;
  }

  @Override
  public int dags() {
    return 1;
  }

  @Override
  public Sample run(BenchDatabases databases, Window window) throws Exception {
    try (BenchDatabases.Fresh fresh = databases.fresh()) {
      DagRunRow run = finishedTry(fresh);
      Path log =
          TryLog.path(UpdraftChild.home(fresh).resolve("logs"), "logs", run.runId(), "t1", 1);
      long size = writeLog(log, megabytes * 1_000_000L);
      Path out = fresh.folder().resolve("out.log");
      String[] logs = {"tasks", "logs", "logs", run.runId(), "t1"};
      window.open();
      try {
        double cat = time(new ProcessBuilder("cat", log.toString()), out);
        check(out, size, "cat");
        double start =
            time(
                UpdraftChild.command(fresh, databases.kind(), Map.of(), with(logs, "--tail", "1")),
                out);
        double full = time(UpdraftChild.command(fresh, databases.kind(), Map.of(), logs), out);
        check(out, size, "tasks logs");
        return new Sample(
            full,
            Map.of(
                "cat_s", cat,
                "start_s", start,
                "ratio", Math.max(0, full - start) / Math.max(cat, 1e-6)));
      } finally {
        window.close();
      }
    }
  }

  /** A DAG of one task and a manual run whose try 1 has run and finished. */
  private static DagRunRow finishedTry(BenchDatabases.Fresh fresh) throws Exception {
    Path dags = fresh.folder().resolve("dags");
    Files.createDirectories(dags);
    Files.writeString(dags.resolve("logs.yaml"), DagFiles.dag("logs", DagFiles.Shape.LINE, 1, 1));
    Database db = fresh.database();
    SchedulerHarness.loadDags(db, dags);
    Instant now = Instant.now();
    DagVersions versions = new DagVersions(new SerializedDagRepository(db));
    DagRunRow run =
        ManualRuns.trigger(
            db, versions.latest("logs"), Instant.parse("2024-01-01T00:00:00Z"), null, null, now);
    TaskInstanceRepository tis = new TaskInstanceRepository(db);
    TaskInstanceRow ti = tis.listForRun("logs", run.runId()).get(0);
    tis.setStates(
        List.of(new StateChange(ti.id(), TaskInstanceState.NONE, TaskInstanceState.SCHEDULED)),
        now);
    new TaskInstanceQueueing(db).queue(List.of(ti.id()), 1, now);
    TaskInstanceTries tries = new TaskInstanceTries(db);
    tries.start(ti.id(), "updraft-bench", 1, now);
    tries.finishTry(ti.id(), 1, TaskInstanceState.RUNNING, TaskInstanceState.SUCCESS, now, null);
    return run;
  }

  /** Lines of 100 bytes up to {@code bytes}; returns the file's size. */
  private static long writeLog(Path log, long bytes) throws Exception {
    Files.createDirectories(log.getParent());
    byte[] line = new byte[100];
    for (int i = 0; i < 99; i++) {
      line[i] = (byte) ('a' + i % 26);
    }
    line[99] = '\n';
    byte[] block = new byte[line.length * 10_000];
    for (int i = 0; i < 10_000; i++) {
      System.arraycopy(line, 0, block, i * line.length, line.length);
    }
    try (OutputStream out = Files.newOutputStream(log)) {
      long left = bytes;
      while (left > 0) {
        int n = (int) Math.min(block.length, left);
        out.write(block, 0, n);
        left -= n;
      }
    }
    return Files.size(log);
  }

  private static double time(ProcessBuilder pb, Path out) throws Exception {
    pb.redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
    long t0 = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", pb.command()) + " failed");
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  private static void check(Path out, long size, String what) throws Exception {
    if (Files.size(out) != size) {
      throw new IllegalStateException(
          what + " printed " + Files.size(out) + " bytes of a " + size + "-byte log");
    }
  }

  private static String[] with(String[] args, String... more) {
    String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return all;
  }
}
