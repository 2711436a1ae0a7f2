package io.updraft.cli;

import io.updraft.config.ConfigKey;
import io.updraft.dagproc.DagProcessor;
import io.updraft.dagproc.DagProcessorJob;
import io.updraft.metrics.StatsdExport;
import io.updraft.store.Database;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
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
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    Settings settings = Commands.settings(spec);
    Clock clock = Clock.systemUTC();
    CountDownLatch stopped = new CountDownLatch(1);
    Database db = Commands.openMigrated(settings);
    StatsdExport.startIfOn(settings.config());
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
    AtomicBoolean endedByOther = new AtomicBoolean();
    DagProcessorJob job =
        DagProcessorJob.start(
            db,
            clock,
            DagProcessorJob.heartbeatEvery(
                settings.config().duration(ConfigKey.SCHEDULER_HEALTH_CHECK_THRESHOLD)),
            () -> {
              // ended by someone else: stop, a supervisor restarts us
              endedByOther.set(true);
              stopped.countDown();
            });
    long jobId = job.id();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  processor.close();
                  job.close();
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
    stopped.await();
    return endedByOther.get() ? ExitCodes.FAILED_RUN : ExitCodes.OK;
  }
}
