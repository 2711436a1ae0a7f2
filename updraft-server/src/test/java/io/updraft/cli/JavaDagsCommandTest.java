package io.updraft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Java DAGs with custom operators, end to end through the CLI: parsed in a child JVM, stored with
 * their bundle in the database, and each try of a custom operator run by the worker in a warm JVM
 * of the bundle it fetched from the database.
 */
class JavaDagsCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static final String PIPELINE =
      """
      import io.updraft.dag.Dag;
      import io.updraft.sdk.DagSource;
      import io.updraft.sdk.Dags;
      import io.updraft.sdk.Operator;
      import io.updraft.sdk.SkipTaskException;
      import io.updraft.sdk.TaskContext;
      import io.updraft.sdk.Tasks;
      import java.time.Duration;
      import java.util.List;
      import java.util.Map;

      public class Pipeline implements DagSource {
        public static class Count implements Operator {
          public Object execute(TaskContext ctx) {
            ctx.log().println("counting " + ctx.args().get("table") + " for " + ctx.runId()
                + " try " + ctx.tryNumber() + " who=" + ctx.params().get("who"));
            return Map.of("rows", 42, "table", ctx.args().get("table"));
          }
        }

        public static class Skip implements Operator {
          public Object execute(TaskContext ctx) {
            throw new SkipTaskException("nothing to do today");
          }
        }

        public static class Quit implements Operator {
          public Object execute(TaskContext ctx) {
            System.exit(4);
            return null;
          }
        }

        public static class Hang implements Operator {
          public Object execute(TaskContext ctx) throws InterruptedException {
            try {
              Thread.sleep(600_000);
            } catch (InterruptedException e) {
              System.out.println("interrupted, stopping");
              throw e;
            }
            return null;
          }
        }

        public List<Dag> dags() {
          return List.of(
              Dags.dag("java_ok").startDate("2024-01-01").params(Map.of("who", "dev"))
                  .task(Tasks.custom("count", Count.class).arg("table", "orders_{{ ds_nodash }}"))
                  .task(Tasks.shell("report", "echo got {{ ti.xcom_pull(task_ids='count').rows }}")
                      .upstream("count"))
                  .task(Tasks.custom("skip", Skip.class).upstream("count"))
                  .build(),
              Dags.dag("java_bad").startDate("2024-01-01")
                  .task(Tasks.custom("quit", Quit.class))
                  .task(Tasks.custom("hang", Hang.class).executionTimeout(Duration.ofSeconds(3)))
                  .build());
        }
      }
      """;

  @TempDir Path home;
  @TempDir Path dags;

  private CliRun run(String... args) {
    return CliRun.in(home, dags, args);
  }

  private static Map<String, String> states(JsonNode result) {
    Map<String, String> m = new HashMap<>();
    result.get("tasks").forEach(t -> m.put(t.get("task_id").asText(), t.get("state").asText()));
    return m;
  }

  private String log(String dagId, String taskId) throws IOException {
    Path log =
        home.resolve(
            "logs/dag_id="
                + dagId
                + "/run_id=manual__2024-01-02T00:00:00+00:00/task_id="
                + taskId
                + "/attempt=1.log");
    return Files.readString(log);
  }

  @Test
  void aCustomOperatorRunsFromItsBundleAndItsResultFeedsTheDownstream() throws Exception {
    Files.writeString(dags.resolve("Pipeline.java"), PIPELINE);
    CliRun r = run("dags", "test", "java_ok", "2024-01-02", "-o", "json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    JsonNode result = JSON.readTree(r.out());
    assertThat(states(result))
        .containsEntry("count", "success")
        .containsEntry("report", "success")
        .containsEntry("skip", "skipped");
    assertThat(log("java_ok", "count"))
        .contains("in a warm JVM")
        .contains("counting orders_20240102 for manual__2024-01-02T00:00:00+00:00 try 1 who=dev");
    assertThat(log("java_ok", "report")).contains("got 42");
    assertThat(home.resolve("bundles")).isDirectoryContaining("glob:**.jar");
  }

  @Test
  void anOperatorThatExitsTheJvmOrNeverReturnsFailsOnlyItsTry() throws Exception {
    Files.writeString(dags.resolve("Pipeline.java"), PIPELINE);
    CliRun r = run("dags", "test", "java_bad", "2024-01-02", "-o", "json");
    assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.FAILED_RUN);
    JsonNode result = JSON.readTree(r.out());
    assertThat(states(result)).containsEntry("quit", "failed").containsEntry("hang", "failed");
    assertThat(log("java_bad", "quit")).contains("exited with code 4").contains("System.exit");
    assertThat(log("java_bad", "hang")).contains("timed out after 3s");
  }

  @Test
  void dagsListShowsJavaDagsAndReportsAFileThatDoesNotCompile() throws Exception {
    Files.writeString(dags.resolve("Pipeline.java"), PIPELINE);
    Files.writeString(
        dags.resolve("Broken.java"),
        "public class Broken implements io.updraft.sdk.DagSource {\n"
            + "  public java.util.List<io.updraft.dag.Dag> dags() { return nope; }\n}\n");
    CliRun r = run("dags", "list");
    assertThat(r.out()).contains("java_ok").contains("java_bad");
    assertThat(r.err()).contains("Broken.java:2:").contains("does not compile");
  }

  @Test
  void aJarProvidesDagSourcesAndOperators() throws Exception {
    Path src = Files.createDirectories(home.resolve("src/com/acme"));
    Files.writeString(
        src.resolve("AcmeDags.java"),
        """
        package com.acme;

        import io.updraft.dag.Dag;
        import io.updraft.sdk.DagSource;
        import io.updraft.sdk.Dags;
        import io.updraft.sdk.Tasks;
        import java.util.List;

        public class AcmeDags implements DagSource {
          public List<Dag> dags() {
            return List.of(Dags.dag("acme").startDate("2024-01-01")
                .task(Tasks.custom("hello", Hello.class).arg("name", "{{ ds }}")).build());
          }
        }
        """);
    Files.writeString(
        src.resolve("Hello.java"),
        """
        package com.acme;

        import io.updraft.sdk.Operator;
        import io.updraft.sdk.TaskContext;

        public class Hello implements Operator {
          public Object execute(TaskContext ctx) {
            ctx.log().println("hello from the jar, " + ctx.args().get("name"));
            return "done";
          }
        }
        """);
    jar(home.resolve("src"), dags.resolve("acme.jar"));

    CliRun r = run("dags", "test", "acme", "2024-01-02", "-o", "json");
    assertThat(r.exitCode()).as(() -> r.err() + logOrNothing("acme", "hello")).isZero();
    assertThat(states(JSON.readTree(r.out()))).containsEntry("hello", "success");
    assertThat(log("acme", "hello")).contains("hello from the jar, 2024-01-02");
  }

  private String logOrNothing(String dagId, String taskId) {
    try {
      return log(dagId, taskId);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Compiles the sources under {@code src} against this class path and writes a jar. */
  private static void jar(Path src, Path jar) throws IOException {
    Path classes = Files.createDirectories(src.resolveSibling("classes"));
    List<String> sources;
    try (Stream<Path> files = Files.walk(src)) {
      sources = files.filter(p -> p.toString().endsWith(".java")).map(Path::toString).toList();
    }
    List<String> args =
        Stream.concat(
                Stream.of(
                    "-d",
                    classes.toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    "-proc:none"),
                sources.stream())
            .toList();
    assertThat(
            ToolProvider.getSystemJavaCompiler().run(null, null, null, args.toArray(String[]::new)))
        .isZero();
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream j = new JarOutputStream(out);
        Stream<Path> files = Files.walk(classes)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
        j.write(Files.readAllBytes(f));
        j.closeEntry();
      }
    }
  }
}
