package io.updraft.dagproc;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.dag.CustomOperators;
import io.updraft.dag.Dag;
import io.updraft.serde.DagSerializer;
import io.updraft.store.DagBundleRepository;
import io.updraft.store.DagRepository;
import io.updraft.store.Database;
import io.updraft.store.ImportErrorRepository;
import io.updraft.store.ImportErrorRow;
import io.updraft.store.SerializedDagRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Java DAG files (SPEC §1.6) through the DAG processor, for real: each file is compiled and run in
 * a child JVM, and what it gives lands in the database. A file that does not compile, exits the JVM
 * or never returns is an import error, and the processor goes on with the other files.
 */
class JavaDagFilesTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2024-01-04T12:00:00Z"), ZoneOffset.UTC);

  static final String ORDERS =
      """
      import io.updraft.dag.Dag;
      import io.updraft.sdk.DagSource;
      import io.updraft.sdk.Dags;
      import io.updraft.sdk.Operator;
      import io.updraft.sdk.TaskContext;
      import io.updraft.sdk.Tasks;
      import java.util.List;

      public class Orders implements DagSource {
        public static class Load implements Operator {
          public Object execute(TaskContext ctx) {
            ctx.log().println("loading " + ctx.args().get("table"));
            return "%s";
          }
        }

        public List<Dag> dags() {
          return List.of(
              Dags.dag("orders_java").schedule("@daily").startDate("2024-01-01")
                  .task(Tasks.shell("extract", "echo extract"))
                  .task(Tasks.custom("load", Load.class).arg("table", "orders").upstream("extract"))
                  .build());
        }
      }
      """;

  @TempDir Path tmp;
  private Path dags;
  private Database db;
  private DagProcessor processor;

  @BeforeEach
  void setUp() throws Exception {
    dags = Files.createDirectories(tmp.resolve("dags"));
    db = Database.open("jdbc:h2:file:" + tmp.resolve("db"));
    db.migrate();
    processor =
        new DagProcessor(
            db,
            new DagProcessor.Settings(
                dags, true, Duration.ofSeconds(20), Duration.ofMinutes(10), 2),
            CLOCK);
  }

  @AfterEach
  void tearDown() {
    processor.close();
    db.close();
  }

  private Dag stored(String dagId) {
    return DagSerializer.fromJson(
        new SerializedDagRepository(db).latest(dagId).orElseThrow().json());
  }

  private List<ImportErrorRow> errors() {
    return new ImportErrorRepository(db).list();
  }

  @Test
  void aJavaDagWithACustomOperatorIsStoredWithItsBundle() throws Exception {
    Files.writeString(dags.resolve("Orders.java"), ORDERS.formatted("v1"));
    DagProcessor.Report report = processor.scan();
    assertThat(errors()).isEmpty();
    assertThat(report.written()).isEqualTo(1);

    Dag dag = stored("orders_java");
    String operator = dag.task("load").orElseThrow().operator();
    assertThat(CustomOperators.className(operator)).isEqualTo("Orders$Load");
    String bundle = CustomOperators.bundleHash(operator);
    assertThat(bundle).as("pinned to its bundle: " + operator).hasSize(64);
    assertThat(new DagBundleRepository(db).exists(bundle)).isTrue();
    assertThat(dag.task("load").orElseThrow().args()).containsEntry("table", "orders");
    assertThat(new DagRepository(db).get("orders_java").orElseThrow().fileloc())
        .endsWith("Orders.java");

    // Unchanged: nothing parsed. New operator code: a new version on a new bundle.
    assertThat(processor.scan().parsed()).isZero();
    Files.writeString(dags.resolve("Orders.java"), ORDERS.formatted("v2"));
    processor.scan();
    String after = CustomOperators.bundleHash(stored("orders_java").task("load").get().operator());
    assertThat(after).isNotEqualTo(bundle);
    assertThat(new SerializedDagRepository(db).versions("orders_java")).hasSize(2);
  }

  @Test
  void aFileThatDoesNotCompileIsAnImportErrorAtItsLine() throws Exception {
    Files.writeString(
        dags.resolve("Broken.java"),
        """
        import io.updraft.dag.Dag;
        import io.updraft.sdk.DagSource;
        import java.util.List;

        public class Broken implements DagSource {
          public List<Dag> dags() {
            return List.of(undefinedThing());
          }
        }
        """);
    Files.writeString(dags.resolve("Orders.java"), ORDERS.formatted("ok"));
    processor.scan();
    assertThat(errors()).hasSize(1);
    ImportErrorRow e = errors().get(0);
    assertThat(e.filename()).endsWith("Broken.java");
    assertThat(e.message()).contains("does not compile").contains("undefinedThing");
    assertThat(e.lineNumber()).isEqualTo(7);
    assertThat(new DagRepository(db).get("orders_java")).as("the other file").isPresent();
  }

  @Test
  void updraftsInternalsAreNotVisibleToUserCode() throws Exception {
    Files.writeString(
        dags.resolve("Sneaky.java"),
        """
        import io.updraft.dag.Dag;
        import io.updraft.sdk.DagSource;
        import io.updraft.store.Database;
        import java.util.List;

        public class Sneaky implements DagSource {
          public List<Dag> dags() {
            return List.of();
          }
        }
        """);
    processor.scan();
    assertThat(errors())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.lineNumber()).isEqualTo(3);
              assertThat(e.message()).contains("does not compile").contains("io.updraft.store");
            });
  }

  @Test
  void aDagSourceThatCallsSystemExitIsAnImportErrorAndTheProcessorGoesOn() throws Exception {
    Files.writeString(
        dags.resolve("Quitter.java"),
        """
        import io.updraft.dag.Dag;
        import io.updraft.sdk.DagSource;
        import java.util.List;

        public class Quitter implements DagSource {
          public List<Dag> dags() {
            System.exit(3);
            return List.of();
          }
        }
        """);
    Files.writeString(dags.resolve("Orders.java"), ORDERS.formatted("ok"));
    processor.scan();
    assertThat(errors())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.filename()).endsWith("Quitter.java");
              assertThat(e.message()).contains("exit code 3").contains("System.exit");
            });
    assertThat(new DagRepository(db).get("orders_java")).isPresent();
  }

  @Test
  void aDagSourceThatNeverReturnsIsKilledAtTheFileTimeout() throws Exception {
    processor.close();
    processor =
        new DagProcessor(
            db,
            new DagProcessor.Settings(dags, true, Duration.ofSeconds(4), Duration.ofMinutes(10), 2),
            CLOCK);
    Files.writeString(
        dags.resolve("Forever.java"),
        """
        import io.updraft.dag.Dag;
        import io.updraft.sdk.DagSource;
        import java.util.List;

        public class Forever implements DagSource {
          public List<Dag> dags() {
            while (true) {
              Thread.onSpinWait();
            }
          }
        }
        """);
    // The other file is YAML: a second Java file's compile can itself pass a 4 s timeout on a
    // loaded two-core machine, and what is tested is that the processor goes on with the others.
    Files.writeString(
        dags.resolve("other.yaml"),
        "dag_id: other\nschedule: null\ntasks:\n  - {task_id: a, operator: empty}\n");
    long before = childJvms();
    processor.scan();
    assertThat(errors())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.filename()).endsWith("Forever.java");
              assertThat(e.message()).contains("dag_processor.file_timeout");
            });
    assertThat(new DagRepository(db).get("other")).isPresent();
    assertThat(childJvms()).as("the looping JVM was killed").isLessThanOrEqualTo(before);
  }

  @Test
  void aThrowingDagSourceIsReportedAtTheLineThatThrew() throws Exception {
    Files.writeString(
        dags.resolve("Thrower.java"),
        """
        import io.updraft.dag.Dag;
        import io.updraft.sdk.DagSource;
        import java.util.List;

        public class Thrower implements DagSource {
          public List<Dag> dags() {
            throw new IllegalStateException("no config for this environment");
          }
        }
        """);
    processor.scan();
    assertThat(errors())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.lineNumber()).isEqualTo(7);
              assertThat(e.message())
                  .contains("DagSource Thrower failed")
                  .contains("no config for this environment");
            });
  }

  @Test
  void anOperatorThatIsNotInTheFileIsAnImportError() throws Exception {
    Files.writeString(
        dags.resolve("Elsewhere.java"),
        """
        import io.updraft.dag.Dag;
        import io.updraft.sdk.DagSource;
        import io.updraft.sdk.Dags;
        import io.updraft.sdk.Tasks;
        import java.util.List;

        public class Elsewhere implements DagSource {
          public List<Dag> dags() {
            return List.of(Dags.dag("elsewhere").task(Tasks.task("x", "com.acme.Missing")).build());
          }
        }
        """);
    processor.scan();
    assertThat(errors())
        .singleElement()
        .satisfies(
            e -> assertThat(e.message()).contains("com.acme.Missing").contains("not in this file"));
    assertThat(new DagRepository(db).get("elsewhere")).isEmpty();
  }

  @Test
  void aYamlFileCannotNameACustomOperator() throws Exception {
    Files.writeString(
        dags.resolve("y.yaml"),
        "dag_id: y\nschedule: null\ntasks:\n  - {task_id: a, operator: com.acme.Load}\n");
    processor.scan();
    assertThat(errors())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.lineNumber()).isEqualTo(4);
              assertThat(e.message()).contains("com.acme.Load").contains("Java DAG file");
            });
  }

  /** Java processes that are children of this JVM. */
  private static long childJvms() {
    return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count();
  }
}
