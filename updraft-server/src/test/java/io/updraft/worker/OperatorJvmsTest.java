package io.updraft.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.dag.Dag;
import io.updraft.state.TaskInstanceState;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Custom operators in warm child JVMs (decisions/0140), with real JVMs. */
class OperatorJvmsTest {
  private static final Instant LOGICAL = Instant.parse("2024-01-01T00:00:00Z");

  static final String OPERATORS =
      """
      package ops;

      import io.updraft.sdk.Operator;
      import io.updraft.sdk.TaskContext;
      import java.util.Map;

      public class Ops {
        public static class Hello implements Operator {
          static int tries;

          public Object execute(TaskContext ctx) {
            tries++;
            ctx.log().println("hello " + ctx.args().get("name") + " from " + ctx.taskId());
            System.err.println("a line on stderr");
            return Map.of("pid", ProcessHandle.current().pid(), "tries", tries, "version", "VERSION");
          }
        }

        public static class Quit implements Operator {
          public Object execute(TaskContext ctx) {
            System.out.println("about to exit");
            System.exit(3);
            return null;
          }
        }

        public static class Boom implements Operator {
          public Object execute(TaskContext ctx) {
            throw new IllegalStateException("the warehouse is closed");
          }
        }

        public static class Slow implements Operator {
          public Object execute(TaskContext ctx) throws Exception {
            System.out.println("slow started in " + ProcessHandle.current().pid());
            Thread.sleep(1500);
            return ProcessHandle.current().pid();
          }
        }

        public static class Hang implements Operator {
          public Object execute(TaskContext ctx) throws Exception {
            Process sleep = new ProcessBuilder("sleep", "300").start();
            System.out.println("child " + sleep.pid());
            while (true) {
              try {
                Thread.sleep(60_000);
              } catch (InterruptedException e) {
                // ignores being stopped: the kill grace ends it
              }
            }
          }
        }
      }
      """;

  private static Path v1;
  private static Path v2;

  @TempDir Path tmp;
  private TaskRunner runner;
  private int tryNumber;

  @BeforeAll
  static void compile(@TempDir Path dir) throws Exception {
    v1 = jar(dir.resolve("v1"), OPERATORS.replace("VERSION", "v1"));
    v2 = jar(dir.resolve("v2"), OPERATORS.replace("VERSION", "v2"));
  }

  @AfterEach
  void close() {
    if (runner != null) {
      runner.close();
    }
  }

  private TaskRunner runner(OperatorJvmSettings jvms) {
    runner =
        new TaskRunner(
            RunnerSettings.defaults()
                .withTempRoot(tmp.resolve("tmp"))
                .withKillGrace(Duration.ofSeconds(2))
                .withHeartbeatInterval(Duration.ofMillis(200))
                .withOperatorJvms(jvms));
    return runner;
  }

  private TaskRunner runner() {
    return runner(OperatorJvmSettings.defaults());
  }

  private TryRequest request(Path jar, String operator, Duration timeout) throws Exception {
    String hash = sha256(jar);
    Dag dag =
        Tasks.dag(
            Map.of(),
            Tasks.task(
                "t",
                "ops.Ops$" + operator + "@" + hash,
                Map.of("name", "{{ ds }}"),
                Map.of(),
                timeout,
                List.of()));
    return TryRequest.builder(dag, "t", "manual__1", LOGICAL, tmp.resolve("logs"))
        .tryNumber(++tryNumber)
        .bundles(h -> jar)
        .dagFile(tmp.resolve("dags/ops.java"))
        .build();
  }

  private static String log(TryOutcome o) throws IOException {
    return Files.readString(o.logPath(), StandardCharsets.UTF_8);
  }

  private static long pidOf(TryOutcome o) {
    return ((Number) ((Map<?, ?>) o.returnValue()).get("pid")).longValue();
  }

  @Test
  void aTrivialOperatorReturnsItsValueAndLogsItsOutputAndTwoTriesShareAJvm() throws Exception {
    TaskRunner r = runner();
    TryOutcome first = r.run(request(v1, "Hello", null));
    assertThat(first.state()).as(log(first)).isEqualTo(TaskInstanceState.SUCCESS);
    assertThat(log(first))
        .contains("hello 2024-01-01 from t")
        .contains("a line on stderr")
        .contains("in a warm JVM")
        .contains("started operator JVM " + pidOf(first));
    TryOutcome second = r.run(request(v1, "Hello", null));
    assertThat(pidOf(second)).as("the same JVM").isEqualTo(pidOf(first));
    assertThat(log(second)).contains("reusing operator JVM " + pidOf(first));
    assertThat(log(second)).doesNotContain("hello 2024-01-01 from t\n".repeat(2));
    assertThat(((Map<?, ?>) second.returnValue()).get("tries"))
        .as("a class loader per try: static fields start fresh")
        .isEqualTo(1);
    assertThat(r.idleOperatorJvms()).containsExactly(pidOf(first));
  }

  @Test
  void aLoaderPerBundleKeepsStaticFieldsBetweenTries() throws Exception {
    TaskRunner r = runner(new OperatorJvmSettings(true, Duration.ofMinutes(1), 2, false));
    r.run(request(v1, "Hello", null));
    TryOutcome second = r.run(request(v1, "Hello", null));
    assertThat(((Map<?, ?>) second.returnValue()).get("tries")).isEqualTo(2);
  }

  @Test
  void anExceptionFailsTheTryAndKeepsTheJvm() throws Exception {
    TaskRunner r = runner();
    long pid = pidOf(r.run(request(v1, "Hello", null)));
    TryOutcome boom = r.run(request(v1, "Boom", null));
    assertThat(boom.state()).isEqualTo(TaskInstanceState.FAILED);
    assertThat(boom.error()).isEqualTo("java.lang.IllegalStateException: the warehouse is closed");
    assertThat(log(boom)).contains("ops.Ops$Boom.execute(Ops.java");
    assertThat(pidOf(r.run(request(v1, "Hello", null)))).isEqualTo(pid);
  }

  @Test
  void systemExitFailsOnlyThatTryAndTheNextTryWorks() throws Exception {
    TaskRunner r = runner();
    long pid = pidOf(r.run(request(v1, "Hello", null)));
    TryOutcome quit = r.run(request(v1, "Quit", null));
    assertThat(quit.state()).isEqualTo(TaskInstanceState.FAILED);
    assertThat(quit.exitCode()).isEqualTo(3);
    assertThat(quit.error())
        .isEqualTo(
            "the operator's JVM exited with code 3 before the operator returned (did it call"
                + " System.exit?)");
    assertThat(log(quit))
        .contains("about to exit")
        .contains("the operator called System.exit: its JVM ends, and this try with it");
    TryOutcome next = r.run(request(v1, "Hello", null));
    assertThat(next.state()).isEqualTo(TaskInstanceState.SUCCESS);
    assertThat(pidOf(next)).as("a new JVM").isNotEqualTo(pid);
  }

  @Test
  void killingTheJvmMidTryFailsTheTry() throws Exception {
    TaskRunner r = runner();
    long pid = pidOf(r.run(request(v1, "Hello", null)));
    TryExecution slow = r.start(request(v1, "Slow", null));
    Path log = tmp.resolve("logs");
    until(() -> logsContain(log, "slow started in " + pid));
    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    TryOutcome o = slow.outcome().get(30, TimeUnit.SECONDS);
    assertThat(o.state()).isEqualTo(TaskInstanceState.FAILED);
    assertThat(o.error())
        .isEqualTo("the operator's JVM was killed (signal 9) before the operator returned");
    assertThat(r.run(request(v1, "Hello", null)).state()).isEqualTo(TaskInstanceState.SUCCESS);
  }

  @Test
  void aHangingOperatorIsStoppedAtItsTimeoutWithItsWholeTree() throws Exception {
    TaskRunner r = runner();
    r.run(request(v1, "Hello", null)); // a warm JVM, so the timeout is the operator's alone
    TryOutcome o = r.run(request(v1, "Hang", Duration.ofSeconds(3)));
    assertThat(o.state()).isEqualTo(TaskInstanceState.FAILED);
    assertThat(o.failure()).isEqualTo(FailureKind.TIMED_OUT);
    String log = log(o);
    assertThat(log).contains("timed out after 3s: killing the operator's JVM");
    assertTreeGone(log);
    assertThat(r.idleOperatorJvms()).isEmpty();
  }

  @Test
  void aCancelledTryEndsItsJvmTree() throws Exception {
    TaskRunner r = runner();
    TryExecution hang = r.start(request(v1, "Hang", null));
    until(() -> logsContain(tmp.resolve("logs"), "child "));
    hang.cancel("the task instance was cleared");
    TryOutcome o = hang.outcome().get(30, TimeUnit.SECONDS);
    assertThat(o.failure()).isEqualTo(FailureKind.CANCELLED);
    assertThat(o.error()).isEqualTo("cancelled: the task instance was cleared");
    assertTreeGone(log(o));
  }

  @Test
  void concurrentTriesOfOneBundleRunInJvmsOfTheirOwn() throws Exception {
    TaskRunner r = runner(new OperatorJvmSettings(true, Duration.ofMinutes(1), 2, true));
    List<TryExecution> tries =
        List.of(
            r.start(request(v1, "Slow", null)),
            r.start(request(v1, "Slow", null)),
            r.start(request(v1, "Slow", null)));
    List<Long> pids =
        tries.stream()
            .map(t -> t.outcome().join())
            .peek(o -> assertThat(o.state()).isEqualTo(TaskInstanceState.SUCCESS))
            .map(o -> ((Number) o.returnValue()).longValue())
            .toList();
    assertThat(pids).doesNotHaveDuplicates();
    assertThat(r.idleOperatorJvms()).as("at most 2 kept per bundle").hasSize(2);
  }

  @Test
  void aChangedBundleRunsItsNewCodeAndRetiresTheFormerJvms() throws Exception {
    TaskRunner r = runner();
    TryOutcome old = r.run(request(v1, "Hello", null));
    assertThat(((Map<?, ?>) old.returnValue()).get("version")).isEqualTo("v1");
    TryOutcome fresh = r.run(request(v2, "Hello", null));
    assertThat(((Map<?, ?>) fresh.returnValue()).get("version")).isEqualTo("v2");
    assertThat(pidOf(fresh)).isNotEqualTo(pidOf(old));
    until(() -> ProcessHandle.of(pidOf(old)).map(p -> !p.isAlive()).orElse(true));
    assertThat(r.idleOperatorJvms()).containsExactly(pidOf(fresh));
  }

  @Test
  void anIdleJvmIsStoppedAfterTheIdleTimeout() throws Exception {
    TaskRunner r = runner(new OperatorJvmSettings(true, Duration.ofMillis(300), 2, true));
    long pid = pidOf(r.run(request(v1, "Hello", null)));
    until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    assertThat(r.idleOperatorJvms()).isEmpty();
    assertThat(r.run(request(v1, "Hello", null)).state()).isEqualTo(TaskInstanceState.SUCCESS);
  }

  @Test
  void aTaskWithEnvOrReuseOffRunsInAJvmOfItsOwn() throws Exception {
    TaskRunner r = runner(OperatorJvmSettings.coldPerTry());
    TryOutcome o = r.run(request(v1, "Hello", null));
    assertThat(o.state()).isEqualTo(TaskInstanceState.SUCCESS);
    assertThat(log(o)).contains("in its own JVM").contains("hello 2024-01-01 from t");
    assertThat(r.idleOperatorJvms()).isEmpty();
  }

  /** The Hang operator's JVM and its {@code sleep} child are both gone. */
  private static void assertTreeGone(String log) {
    Matcher jvm = Pattern.compile("operator JVM (\\d+)").matcher(log);
    Matcher child = Pattern.compile("child (\\d+)").matcher(log);
    assertThat(jvm.find()).as(log).isTrue();
    assertThat(child.find()).as(log).isTrue();
    for (String pid : List.of(jvm.group(1), child.group(1))) {
      until(() -> ProcessHandle.of(Long.parseLong(pid)).map(p -> !p.isAlive()).orElse(true));
    }
  }

  private static boolean logsContain(Path root, String text) {
    try (Stream<Path> files = Files.walk(root)) {
      return files
          .filter(Files::isRegularFile)
          .anyMatch(
              f -> {
                try {
                  return Files.readString(f).contains(text);
                } catch (IOException e) {
                  return false;
                }
              });
    } catch (IOException e) {
      return false;
    }
  }

  private static void until(BooleanSupplier condition) {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("condition not met within 30 s");
      }
      CompletableFuture.runAsync(
              () -> {}, CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS))
          .join();
    }
  }

  static String sha256(Path file) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  /** Compiles {@code source} (class ops.Ops) against this class path into a jar. */
  static Path jar(Path dir, String source) throws IOException {
    Path src = Files.createDirectories(dir.resolve("src/ops")).resolve("Ops.java");
    Files.writeString(src, source);
    Path classes = Files.createDirectories(dir.resolve("classes"));
    int rc =
        ToolProvider.getSystemJavaCompiler()
            .run(
                null,
                null,
                null,
                "-d",
                classes.toString(),
                "-cp",
                System.getProperty("java.class.path"),
                src.toString());
    assertThat(rc).isZero();
    Path jar = dir.resolve("ops.jar");
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream j = new JarOutputStream(out);
        Stream<Path> files = Files.walk(classes)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
        j.write(Files.readAllBytes(f));
        j.closeEntry();
      }
    }
    return jar;
  }
}
