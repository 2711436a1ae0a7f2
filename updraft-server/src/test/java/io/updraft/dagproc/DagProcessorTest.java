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
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dags folder kept in step with the metadata database: scans, events, timeouts. */
class DagProcessorTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2024-01-04T12:00:00Z"), ZoneOffset.UTC);
  private static final String DAILY =
      "dag_id: d\nschedule: \"@daily\"\nstart_date: 2024-01-01\ntasks: [{task_id: a, operator: empty}]\n";

  @TempDir Path tmp;
  private Path dags;
  private Database db;
  private DagProcessor processor;

  @BeforeEach
  void setUp() throws Exception {
    dags = Files.createDirectories(tmp.resolve("dags"));
    db = Database.open("jdbc:h2:file:" + tmp.resolve("db"));
    db.migrate();
    processor = new DagProcessor(db, settings(Duration.ofSeconds(30)), CLOCK);
  }

  private DagProcessor.Settings settings(Duration fileTimeout) {
    return new DagProcessor.Settings(dags, true, fileTimeout, Duration.ofMinutes(10), 2);
  }

  @AfterEach
  void tearDown() {
    processor.close();
    db.close();
  }

  /** A DAG document as an item of a {@code dags:} list. */
  private static String item(String dag) {
    return "  - " + dag.strip().replace("\n", "\n    ") + "\n";
  }

  private DagRow row() {
    return new DagRepository(db).get("d").orElseThrow();
  }

  @Test
  void aNewDagIsWrittenPausedWithItsNextRunAndAnUnchangedPassWritesNothing() throws Exception {
    Files.writeString(dags.resolve("d.yaml"), DAILY);
    assertThat(processor.scan()).isEqualTo(new DagProcessor.Report(1, 1, 1, 0, 0, 0));
    assertThat(row().paused()).isTrue();
    assertThat(row().next().logicalDate()).isEqualTo(Instant.parse("2024-01-03T00:00:00Z"));
    assertThat(processor.scan())
        .as("nothing parsed")
        .isEqualTo(new DagProcessor.Report(1, 0, 0, 0, 0, 0));
  }

  @Test
  void anEditIsANewVersionAndThePausedFlagIsKept() throws Exception {
    Files.writeString(dags.resolve("d.yaml"), DAILY);
    processor.scan();
    new DagRepository(db).setPaused("d", false);
    String first = new SerializedDagRepository(db).latestHash("d").orElseThrow();
    Files.writeString(
        dags.resolve("d.yaml"),
        DAILY.replace("operator: empty", "operator: shell, command: \"true\""));
    assertThat(processor.scan().written()).isEqualTo(1);
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
    processor.scan();
    Files.writeString(file, DAILY.replace("@daily", "61 * * * *"));
    DagProcessor.Report broken = processor.scan();
    assertThat(broken.filesWithErrors()).isEqualTo(1);
    assertThat(row().active()).isTrue();
    var errors = new ImportErrorRepository(db).list();
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).message()).contains("61");
    Files.writeString(file, DAILY);
    processor.scan();
    assertThat(new ImportErrorRepository(db).list()).isEmpty();
  }

  @Test
  void aDeletedFileDeactivatesItsDag() throws Exception {
    Path file = dags.resolve("d.yaml");
    Files.writeString(file, DAILY);
    processor.scan();
    Files.delete(file);
    assertThat(processor.scan().deactivated()).isEqualTo(1);
    assertThat(row().active()).isFalse();
    Files.writeString(file, DAILY);
    processor.scan();
    assertThat(row().active()).isTrue();
  }

  @Test
  void aDagRemovedFromItsFileIsDeactivatedAndTheOtherKept() throws Exception {
    Path file = dags.resolve("two.yaml");
    Files.writeString(
        file, "dags:\n" + item(DAILY) + item(DAILY.replace("dag_id: d", "dag_id: e")));
    assertThat(processor.scan().written()).isEqualTo(2);
    Files.writeString(file, "dags:\n" + item(DAILY));
    assertThat(processor.scan().deactivated()).isEqualTo(1);
    assertThat(row().active()).isTrue();
    assertThat(new DagRepository(db).get("e").orElseThrow().active()).isFalse();
  }

  @Test
  void aDuplicateDagIdIsAnErrorUntilTheFirstFileLetsGoOfIt() throws Exception {
    Files.writeString(dags.resolve("a.yaml"), DAILY);
    Files.writeString(dags.resolve("b.yaml"), DAILY);
    DagProcessor.Report first = processor.scan();
    assertThat(first.filesWithErrors()).isEqualTo(1);
    var errors = new ImportErrorRepository(db).list();
    assertThat(errors)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.filename()).endsWith("b.yaml");
              assertThat(e.message()).contains("already defined in").contains("a.yaml");
            });
    assertThat(row().fileloc()).endsWith("a.yaml");

    Files.delete(dags.resolve("a.yaml"));
    DagProcessor.Report after = processor.scan();
    assertThat(after.filesWithErrors()).isZero();
    assertThat(new ImportErrorRepository(db).list()).isEmpty();
    assertThat(row().fileloc()).endsWith("b.yaml");
    assertThat(row().active()).isTrue();
  }

  @Test
  void aSlowFileBecomesAnImportErrorWithoutHoldingUpTheOthers() throws Exception {
    processor.close();
    YamlDagParser real = new YamlDagParser();
    DagFileParsers slowOne =
        new DagFileParsers(
            file -> {
              if (file.getFileName().toString().equals("slow.yaml")) {
                try {
                  Thread.sleep(60_000);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
              return real.parseWithPositions(file);
            });
    processor = new DagProcessor(db, settings(Duration.ofMillis(300)), CLOCK, slowOne);
    Files.writeString(dags.resolve("slow.yaml"), DAILY.replace("dag_id: d", "dag_id: s"));
    Files.writeString(dags.resolve("d.yaml"), DAILY);
    long start = System.nanoTime();
    DagProcessor.Report report = processor.scan();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    assertThat(report.written()).isEqualTo(1);
    assertThat(row().active()).isTrue();
    assertThat(new ImportErrorRepository(db).list())
        .singleElement()
        .satisfies(e -> assertThat(e.message()).contains("dag_processor.file_timeout"));
  }

  @Test
  void aFileDeletedWhileNoProcessorRanIsDeactivatedAtStart() throws Exception {
    Path file = dags.resolve("d.yaml");
    Files.writeString(file, DAILY);
    processor.scan();
    processor.close();
    Files.delete(file);
    processor = new DagProcessor(db, settings(Duration.ofSeconds(30)), CLOCK);
    assertThat(processor.scan().deactivated()).isEqualTo(1);
    assertThat(row().active()).isFalse();
  }

  @Test
  void aChangeInTheFolderIsSeenWithoutWaitingForTheRefresh() throws Exception {
    CountDownLatch changed = new CountDownLatch(1);
    processor.start(changed::countDown); // refresh every 10 min: only the event can do it
    Files.createDirectories(dags.resolve("team"));
    Files.writeString(dags.resolve("team/d.yaml"), DAILY);
    assertThat(changed.await(20, TimeUnit.SECONDS)).as("scan after the event").isTrue();
    assertThat(row().fileloc()).endsWith("team/d.yaml");
  }
}
