package io.updraft.dagproc;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.store.DagRepository;
import io.updraft.store.DagRow;
import io.updraft.store.Database;
import io.updraft.store.ImportErrorRepository;
import io.updraft.store.SerializedDagRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dags folder written into the metadata database, pass by pass. */
class FolderSyncTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2024-01-04T12:00:00Z"), ZoneOffset.UTC);
  private static final String DAILY =
      "dag_id: d\nschedule: \"@daily\"\nstart_date: 2024-01-01\ntasks: [{task_id: a, operator: empty}]\n";

  @TempDir Path tmp;
  private Path dags;
  private Database db;
  private FolderSync sync;

  @BeforeEach
  void setUp() throws Exception {
    dags = Files.createDirectories(tmp.resolve("dags"));
    db = Database.open("jdbc:h2:file:" + tmp.resolve("db"));
    db.migrate();
    sync = new FolderSync(db, dags, true, CLOCK);
  }

  @AfterEach
  void tearDown() {
    db.close();
  }

  private DagRow row() {
    return new DagRepository(db).get("d").orElseThrow();
  }

  @Test
  void aNewDagIsWrittenPausedWithItsNextRunAndAnUnchangedPassWritesNothing() throws Exception {
    Files.writeString(dags.resolve("d.yaml"), DAILY);
    assertThat(sync.syncOnce()).isEqualTo(new FolderSync.Report(1, 0, 0, 0));
    assertThat(row().paused()).isTrue();
    assertThat(row().next().logicalDate()).isEqualTo(Instant.parse("2024-01-03T00:00:00Z"));
    assertThat(sync.syncOnce()).isEqualTo(new FolderSync.Report(0, 1, 0, 0));
  }

  @Test
  void anEditIsANewVersionAndThePausedFlagIsKept() throws Exception {
    Files.writeString(dags.resolve("d.yaml"), DAILY);
    sync.syncOnce();
    new DagRepository(db).setPaused("d", false);
    String first = new SerializedDagRepository(db).latestHash("d").orElseThrow();
    Files.writeString(
        dags.resolve("d.yaml"),
        DAILY.replace("operator: empty", "operator: shell, command: \"true\""));
    assertThat(sync.syncOnce().written()).isEqualTo(1);
    assertThat(new SerializedDagRepository(db).latestHash("d"))
        .isPresent()
        .get()
        .isNotEqualTo(first);
    assertThat(new SerializedDagRepository(db).get("d", first)).as("old version kept").isPresent();
    assertThat(row().paused()).isFalse();
  }

  @Test
  void aBrokenFileKeepsItsLastGoodVersionAndAFixClearsTheError() throws Exception {
    Path file = dags.resolve("d.yaml");
    Files.writeString(file, DAILY);
    sync.syncOnce();
    Files.writeString(file, DAILY.replace("@daily", "61 * * * *"));
    FolderSync.Report broken = sync.syncOnce();
    assertThat(broken.filesWithErrors()).isEqualTo(1);
    assertThat(row().active()).isTrue();
    var errors = new ImportErrorRepository(db).list();
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).message()).contains("61");
    Files.writeString(file, DAILY);
    sync.syncOnce();
    assertThat(new ImportErrorRepository(db).list()).isEmpty();
  }

  @Test
  void aDeletedFileDeactivatesItsDag() throws Exception {
    Path file = dags.resolve("d.yaml");
    Files.writeString(file, DAILY);
    sync.syncOnce();
    Files.delete(file);
    assertThat(sync.syncOnce().deactivated()).isEqualTo(1);
    assertThat(row().active()).isFalse();
    Files.writeString(file, DAILY);
    sync.syncOnce();
    assertThat(row().active()).isTrue();
  }
}
