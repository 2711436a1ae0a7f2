package io.updraft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.updraft.UpdraftException;
import io.updraft.dag.Dag;
import io.updraft.sdk.Dags;
import io.updraft.sdk.Tasks;
import io.updraft.serde.DagSerializer;
import io.updraft.store.DagRepository;
import io.updraft.store.Database;
import io.updraft.store.DatabaseConfig;
import io.updraft.store.JobRepository;
import io.updraft.store.JobType;
import io.updraft.store.SerializedDagRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * unpause/trigger of a DAG that is in the folder but not yet in the database (the DAG processor has
 * not written it yet): they wait for it, with a bound, while a processor runs.
 */
class StoredDagWaitTest {
  private static final Instant T0 = Instant.parse("2024-06-01T12:00:00Z");

  @TempDir Path home;
  private Database db;
  private Settings settings;
  private Instant now = T0;
  private final java.io.StringWriter errText = new java.io.StringWriter();
  private final java.io.PrintWriter err = new java.io.PrintWriter(errText, true);

  @BeforeEach
  void migratedHomeWithTheDagInItsFolder() throws Exception {
    Path dags = Files.createDirectories(home.resolve("dags"));
    Files.writeString(
        dags.resolve("d.yaml"),
        "dag_id: d\nschedule: null\ntasks:\n  - {task_id: a, operator: shell, command: \"true\"}\n");
    db = Database.open(DatabaseConfig.defaultUrl(home));
    db.migrate();
    settings = Settings.resolve(home, null, null, Map.of());
  }

  @AfterEach
  void close() {
    db.close();
  }

  private Clock clock() {
    return new Clock() {
      @Override
      public Instant instant() {
        return now;
      }

      @Override
      public java.time.ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }
    };
  }

  /** A wait that fails the test if it lets any time pass. */
  private StoredDagWait neverWaiting() {
    return new StoredDagWait(
        db,
        settings,
        clock(),
        d -> {
          throw new AssertionError("waited");
        },
        err);
  }

  private void store(String dagId) {
    Dag dag = Dags.dag(dagId).task(Tasks.shell("a", "true")).build();
    new SerializedDagRepository(db).store(dagId, DagSerializer.serialize(dag), "d.yaml", now);
    new DagRepository(db).upsert(dag, "d.yaml", true, now);
  }

  /** A scheduler job that started then and has a heartbeat now. */
  private void liveScheduler(Instant started) {
    JobRepository jobs = new JobRepository(db);
    long id = jobs.register(JobType.SCHEDULER, "h", 1, started);
    jobs.heartbeat(id, started.isAfter(now) ? started : now);
  }

  @Test
  void waitsForTheRunningProcessorToStoreTheDag() {
    liveScheduler(T0.minusSeconds(600)); // running for a while: the file was just added
    int[] looks = {0};
    new StoredDagWait(
            db,
            settings,
            clock(),
            d -> {
              now = now.plus(d);
              if (++looks[0] == 3) {
                store("d"); // the processor writes it while the command waits
              }
            },
            err)
        .await("d");
    assertThat(looks[0]).isEqualTo(3);
    assertThat(errText.toString()).as("a short wait goes unsaid").isEmpty();
    assertThat(new DagRepository(db).get("d")).isPresent();
  }

  @Test
  void unpauseRightAfterStandaloneStartsWaitsForTheDag() throws Exception {
    liveScheduler(Instant.now()); // standalone has just started: its first pass is under way
    Thread processor =
        Thread.ofPlatform()
            .start(
                () -> {
                  store("d");
                });
    CliRun unpause = CliRun.in(home, home.resolve("dags"), "dags", "unpause", "d");
    processor.join();
    assertThat(unpause.exitCode()).as(unpause.err()).isZero();
    assertThat(new DagRepository(db).get("d").orElseThrow().paused()).isFalse();
  }

  @Test
  void waitsNoLongerThanAProcessorNeedsToReadAFile() {
    liveScheduler(T0);
    Settings quick =
        Settings.resolve(
            home,
            null,
            null,
            Map.of(
                "UPDRAFT_DAG_PROCESSOR_REFRESH_INTERVAL", "2s",
                "UPDRAFT_DAG_PROCESSOR_FILE_TIMEOUT", "3s"));
    assertThatThrownBy(
            () -> new StoredDagWait(db, quick, clock(), d -> now = now.plus(d), err).await("d"))
        .isInstanceOf(UpdraftException.class)
        .hasMessageContaining("has not stored it within 5 s")
        .hasMessageContaining("list-import-errors");
    assertThat(now).isEqualTo(T0.plusSeconds(5));
    assertThat(errText.toString())
        .isEqualTo(
            "updraft: waiting up to 5 s for the running DAG processor to store DAG 'd'"
                + System.lineSeparator());
  }

  @Test
  void withoutARunningProcessorItSaysWhatToStartAtOnce() {
    assertThatThrownBy(() -> neverWaiting().await("d"))
        .isInstanceOf(UpdraftException.class)
        .hasMessageContaining("is in the dags folder but not yet in the metadata database")
        .hasMessageContaining("updraft standalone");
  }

  @Test
  void aDagInNoFolderFailsAtOnceUnlessAProcessorJustStarted() {
    liveScheduler(T0.minus(Duration.ofHours(1)));
    assertThatThrownBy(() -> neverWaiting().await("typo"))
        .hasMessageContaining("'typo' is not in the metadata database");

    // A processor that started a moment ago may still be reading its own folder.
    liveScheduler(T0.minusSeconds(1));
    new StoredDagWait(db, settings, clock(), d -> store("elsewhere"), err).await("elsewhere");
  }
}
