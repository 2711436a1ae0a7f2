package io.updraft.cli;

import io.updraft.dagproc.DagProcessor;
import io.updraft.store.Database;
import io.updraft.store.JobRepository;
import io.updraft.store.JobType;
import io.updraft.util.Hostname;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code updraft dag-processor}: keeps the database in step with the dags folder, parsing each file
 * when it changes, until stopped. Run it once per dags folder when the schedulers run with {@code
 * --no-dag-sync}.
 */
@Command(
    name = "dag-processor",
    description = {
      "Keep the metadata database in step with the dags folder until stopped (Ctrl-C): parse each"
          + " DAG file when it changes, record import errors, deactivate DAGs whose file is gone.",
      "The database must be migrated ('updraft db migrate')."
    })
final class DagProcessorCommand implements Callable<Integer>, LogLevels.LongRunning {
  private static final long HEARTBEAT_SECONDS = 5;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    Settings settings = Commands.settings(spec);
    Clock clock = Clock.systemUTC();
    CountDownLatch stopped = new CountDownLatch(1);
    Database db = Commands.openMigrated(settings);
    DagProcessor processor =
        new DagProcessor(db, SchedulerService.processorSettings(settings), clock);
    DagProcessor.Report first;
    try {
      first = processor.start(() -> {});
    } catch (RuntimeException e) {
      processor.close();
      db.close();
      throw e;
    }
    JobRepository jobs = new JobRepository(db);
    long jobId =
        jobs.register(
            JobType.DAG_PROCESSOR,
            Hostname.ofThisMachine(),
            (int) ProcessHandle.current().pid(),
            clock.instant());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  processor.close();
                  jobs.finish(jobId, true, clock.instant());
                  db.close();
                  stopped.countDown();
                },
                "shutdown"));
    PrintWriter out = spec.commandLine().getOut();
    out.println(
        "Updraft dag-processor is running (job "
            + jobId
            + ") — Ctrl-C stops it.\n  database:  "
            + db.displayUrl()
            + "\n  dags:      "
            + settings.dagsFolder()
            + " ("
            + (first.written() + first.unchanged())
            + " DAGs in "
            + first.files()
            + " files"
            + (first.filesWithErrors() > 0
                ? ", " + first.filesWithErrors() + " with errors: updraft dags list-import-errors"
                : "")
            + ")");
    out.flush();
    while (!stopped.await(HEARTBEAT_SECONDS, TimeUnit.SECONDS)) {
      if (!jobs.heartbeat(jobId, clock.instant())) {
        return ExitCodes.FAILED_RUN; // ended by someone else: stop, a supervisor restarts us
      }
    }
    return ExitCodes.OK;
  }
}
