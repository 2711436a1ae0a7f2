package io.updraft.bench;

import io.updraft.store.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * An installation run as a user runs it, for the scenarios that measure processes rather than
 * classes: a fresh database (migrated by the bench, which on H2 then serves the file to the
 * children, as the first opener does), a dags folder, and {@code updraft} child processes ({@link
 * UpdraftChild}) started on them with the same settings. The bench reads the database itself
 * (counts, dates) to know when something happened: rows the processes wrote, not their output.
 */
final class ChildSite implements AutoCloseable {
  /** A long-running child and its output. */
  record Child(Process process, UpdraftChild.Output output) {
    long pid() {
      return process.pid();
    }
  }

  private static final Duration POLL = Duration.ofMillis(20);

  private final BenchDatabases.Fresh fresh;
  private final DbKind kind;
  private final Map<String, String> env;
  private final Path dags;
  private final List<Child> children = new ArrayList<>();

  private ChildSite(BenchDatabases.Fresh fresh, DbKind kind, Map<String, String> env, Path dags) {
    this.fresh = fresh;
    this.kind = kind;
    this.env = env;
    this.dags = dags;
  }

  /** A fresh, migrated database and an empty dags folder; every child gets {@code env}. */
  static ChildSite open(BenchDatabases databases, Map<String, String> env) throws IOException {
    BenchDatabases.Fresh fresh = databases.fresh();
    try {
      Path dags = Files.createDirectories(fresh.folder().resolve("dags"));
      fresh.database();
      return new ChildSite(fresh, databases.kind(), env, dags);
    } catch (RuntimeException | IOException e) {
      fresh.close();
      throw e;
    }
  }

  Path dags() {
    return dags;
  }

  /** A folder of the run's own for files the DAGs wait for; deleted with the run. */
  Path scratch(String name) throws IOException {
    return Files.createDirectories(fresh.folder().resolve(name));
  }

  /** Each started child's output, one file each, numbered in the order they started. */
  Path outputs() {
    return fresh.folder().resolve("outputs");
  }

  /** The home folder the children use (logs are below it). */
  Path home() {
    return UpdraftChild.home(fresh);
  }

  Database db() {
    return fresh.database();
  }

  /** Starts {@code updraft --dags-folder DAGS ARGS...} and waits until it prints {@code ready}. */
  Child start(String ready, Duration timeout, String... args) throws Exception {
    Child child = launch(home(), Map.of(), ready, args);
    child.output().awaitLine(timeout);
    return child;
  }

  /**
   * Starts {@code updraft --home HOME --dags-folder DAGS ARGS...} with {@code extraEnv} besides the
   * site's, and returns at once: {@code child.output().awaitLine} waits until it is ready, so that
   * several children start side by side.
   */
  Child launch(Path home, Map<String, String> extraEnv, String ready, String... args)
      throws IOException {
    Map<String, String> all = new java.util.HashMap<>(env);
    all.putAll(extraEnv);
    ProcessBuilder pb = UpdraftChild.command(fresh, home, kind, all, withDags(args));
    pb.redirectErrorStream(true);
    Process p = pb.start();
    Path journal =
        Files.createDirectories(fresh.folder().resolve("outputs"))
            .resolve(String.format("%03d-%s.out", children.size() + 1, args[0]));
    Child child = new Child(p, new UpdraftChild.Output(p, ready, journal));
    children.add(child);
    return child;
  }

  /**
   * Starts {@code updraft standalone} with its API server on a port the system chooses (its
   * default, 8080, may be taken by another process), and waits until it has read the dags folder.
   */
  Child standalone(Duration timeout) throws Exception {
    return start(SensorScenarios.SCHEDULER_READY, timeout, "standalone", "--port", "0");
  }

  /** Runs {@code updraft --dags-folder DAGS ARGS...} to its end; it must exit 0. */
  void run(Duration timeout, String... args) throws Exception {
    runWithInput(timeout, null, args);
  }

  /** {@link #run}, writing {@code stdin} (unless null) to the command's standard input. */
  void runWithInput(Duration timeout, String stdin, String... args) throws Exception {
    ProcessBuilder pb = UpdraftChild.command(fresh, kind, env, withDags(args));
    pb.redirectErrorStream(true);
    Process p = pb.start();
    try (var in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    UpdraftChild.Output output = new UpdraftChild.Output(p, "\u0000never");
    if (!p.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      UpdraftChild.stop(p);
      throw new IllegalStateException(
          "updraft " + String.join(" ", args) + " did not end in time: " + output.tail());
    }
    p.waitFor();
    Thread.sleep(50); // the output thread reads the last lines
    if (p.exitValue() != 0) {
      throw new IllegalStateException(
          "updraft " + String.join(" ", args) + " exited " + p.exitValue() + ": " + output.tail());
    }
  }

  private String[] withDags(String... args) {
    List<String> all = new ArrayList<>(List.of("--dags-folder", dags.toString()));
    all.addAll(List.of(args));
    return all.toArray(String[]::new);
  }

  /** A {@code SELECT COUNT(*) ...} of the database. */
  long count(String sql) {
    return db().jdbc().queryOne(sql, sql, ps -> {}, rs -> rs.getLong(1)).orElseThrow();
  }

  /** The one instant column of a one-row query, if the row exists and the value is set. */
  Optional<Instant> instant(String sql, String column, Object... params) {
    return db().jdbc()
        .queryOne(
            sql,
            sql,
            ps -> {
              for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
              }
            },
            rs -> Optional.ofNullable(db().dialect().getInstant(rs, column)))
        .flatMap(o -> o);
  }

  /**
   * Waits until {@code done} holds, checking every 20 ms; after {@code timeout} fails naming {@code
   * what} with the children's last output lines.
   */
  void await(String what, Duration timeout, BooleanSupplier done) throws InterruptedException {
    await(what, timeout, POLL, done);
  }

  /** {@link #await(String, Duration, BooleanSupplier)}, checking every {@code every}. */
  void await(String what, Duration timeout, Duration every, BooleanSupplier done)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            what + " did not happen within " + timeout.toSeconds() + " s; " + tails());
      }
      for (Child c : children) {
        if (!c.process().isAlive()) {
          throw new IllegalStateException(
              "a child ended (exit "
                  + c.process().exitValue()
                  + ") while waiting for "
                  + what
                  + ": "
                  + c.output().tail());
        }
      }
      Thread.sleep(every);
    }
  }

  private String tails() {
    StringBuilder s = new StringBuilder();
    for (Child c : children) {
      s.append("[pid ").append(c.pid()).append("] ").append(c.output().tail()).append(' ');
    }
    return s.toString();
  }

  /** Stops the children (the last started first), then drops the database and the folder. */
  @Override
  public void close() throws InterruptedException {
    try {
      for (int i = children.size() - 1; i >= 0; i--) {
        UpdraftChild.stop(children.get(i).process());
      }
    } finally {
      fresh.close();
    }
  }
}
