package io.updraft.cli;

import io.updraft.UpdraftException;
import io.updraft.config.ConfigKey;
import io.updraft.config.UpdraftConfig;
import io.updraft.store.DagRepository;
import io.updraft.store.Database;
import io.updraft.store.JobRepository;
import io.updraft.store.JobRow;
import io.updraft.store.JobType;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Waits, with a bound, for the running DAG processor to store a DAG it has not stored yet, so that
 * {@code dags unpause} or {@code dags trigger} right after {@code standalone} starts (or right
 * after a DAG file is added) works instead of failing (decisions/0052).
 *
 * <p>It waits only while a DAG processor is alive (a scheduler or dag-processor job with a recent
 * heartbeat) and the DAG can still come: it is in this command's dags folder, or a processor
 * started so recently that its first pass of its own folder may still be under way. The bound is
 * what a processor needs to see and parse a file: {@code dag_processor.refresh_interval} plus
 * {@code dag_processor.file_timeout}. The CLI does not store the DAG itself: the running processor
 * is the one writer of DAG versions, and its dags folder may not be this command's.
 */
final class StoredDagWait {
  private static final Duration POLL = Duration.ofMillis(100);

  /** After this long, the command says what it is waiting for. */
  private static final Duration QUIET = Duration.ofSeconds(1);

  /** Lets time pass between two looks (tests move a clock instead). */
  interface Pause {
    void pause(Duration d) throws InterruptedException;
  }

  private final Database db;
  private final Settings settings;
  private final Clock clock;
  private final Pause pause;
  private final PrintWriter err;

  StoredDagWait(Database db, Settings settings, Clock clock, Pause pause, PrintWriter err) {
    this.db = db;
    this.settings = settings;
    this.clock = clock;
    this.pause = pause;
    this.err = err;
  }

  /** Returns once the DAG is stored; a one-line error when it is not and will not be. */
  static void await(Database db, Settings settings, String dagId, PrintWriter err) {
    new StoredDagWait(db, settings, Clock.systemUTC(), d -> Thread.sleep(d.toMillis()), err)
        .await(dagId);
  }

  void await(String dagId) {
    DagRepository dags = new DagRepository(db);
    if (dags.get(dagId).isPresent()) {
      return;
    }
    UpdraftConfig config = settings.config();
    Instant now = clock.instant();
    Duration bound =
        config
            .duration(ConfigKey.DAG_REFRESH_INTERVAL)
            .plus(config.duration(ConfigKey.DAG_FILE_TIMEOUT));
    List<JobRow> processors = liveProcessors(now);
    boolean inFolder = inFolder(dagId);
    if (processors.isEmpty()) {
      if (inFolder) {
        throw new UpdraftException(
            "DAG '"
                + dagId
                + "' is in the dags folder but not yet in the metadata database, and no scheduler"
                + " or dag-processor is running to store it — start 'updraft standalone' (or"
                + " 'updraft dag-processor') and try again");
      }
      DagsRunCommands.requireKnown(db, dagId);
    }
    Instant newestStart =
        processors.stream().map(JobRow::startDate).max(Instant::compareTo).orElse(now);
    Instant deadline = inFolder ? now.plus(bound) : newestStart.plus(bound);
    boolean told = false;
    try {
      while (clock.instant().isBefore(deadline)) {
        pause.pause(POLL);
        if (dags.get(dagId).isPresent()) {
          return;
        }
        if (!told && !clock.instant().isBefore(now.plus(QUIET))) {
          err.println(
              "updraft: waiting up to "
                  + Duration.between(now, deadline).toSeconds()
                  + " s for the running DAG processor to store DAG '"
                  + dagId
                  + "'");
          err.flush();
          told = true;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UpdraftException("interrupted while waiting for DAG '" + dagId + "' to be stored");
    }
    if (inFolder) {
      throw new UpdraftException(
          "DAG '"
              + dagId
              + "' is in the dags folder, but the running DAG processor has not stored it within "
              + bound.toSeconds()
              + " s"
              + " — 'updraft dags list-import-errors' shows whether its file failed to load");
    }
    DagsRunCommands.requireKnown(db, dagId);
  }

  /** Schedulers (which sync the folder unless told not to) and dag-processors with a heartbeat. */
  private List<JobRow> liveProcessors(Instant now) {
    Instant threshold =
        now.minus(settings.config().duration(ConfigKey.SCHEDULER_HEALTH_CHECK_THRESHOLD));
    JobRepository jobs = new JobRepository(db);
    List<JobRow> live = new ArrayList<>(jobs.aliveSince(JobType.SCHEDULER, threshold));
    live.addAll(jobs.aliveSince(JobType.DAG_PROCESSOR, threshold));
    return live;
  }

  /** Whether this command's dags folder defines the DAG (parsed now, as {@code dags list} does). */
  private boolean inFolder(String dagId) {
    if (!Files.isDirectory(settings.dagsFolder())) {
      return false;
    }
    return FolderDags.load(settings.dagsFolder()).entries().stream()
        .anyMatch(e -> e.dag().dagId().equals(dagId));
  }
}
