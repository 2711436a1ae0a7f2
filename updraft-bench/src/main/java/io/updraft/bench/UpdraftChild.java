package io.updraft.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An {@code updraft} command as a user runs it: a child process through {@code bin/updraft} (system
 * property {@code updraft.bench.launcher}; without it, this JVM's class path) with a home folder of
 * its own and none of this process's {@code UPDRAFT_*} variables but those given.
 */
final class UpdraftChild {
  static final String LAUNCHER_PROPERTY = "updraft.bench.launcher";

  private UpdraftChild() {}

  /** {@code updraft --home HOME [--db-url URL] ARGS...}; on H2 the home's own database. */
  static ProcessBuilder command(
      BenchDatabases.Fresh fresh, DbKind db, Map<String, String> env, String... args) {
    return command(fresh, home(fresh), db, env, args);
  }

  /** {@link #command(BenchDatabases.Fresh, DbKind, Map, String...)} with another home folder. */
  static ProcessBuilder command(
      BenchDatabases.Fresh fresh, Path home, DbKind db, Map<String, String> env, String... args) {
    List<String> cmd = new ArrayList<>();
    String launcher = System.getProperty(LAUNCHER_PROPERTY);
    if (launcher != null) {
      cmd.add(launcher);
    } else {
      cmd.add(ProcessHandle.current().info().command().orElse("java"));
      cmd.add("-cp");
      cmd.add(System.getProperty("java.class.path"));
      cmd.add("io.updraft.cli.Main");
    }
    cmd.addAll(List.of("--home", home.toString()));
    if (db == DbKind.POSTGRES) {
      cmd.addAll(List.of("--db-url", fresh.url()));
    }
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment()
        .keySet()
        .removeIf(k -> k.startsWith("UPDRAFT_") && !k.equals("UPDRAFT_JAVA_OPTS"));
    pb.environment().putAll(env);
    return pb;
  }

  /** The home folder of a fresh database: on H2 the folder of its file. */
  static Path home(BenchDatabases.Fresh fresh) {
    return fresh.folder().resolve("home");
  }

  /** Stops it as Ctrl-C would, and kills it if it does not end in time. */
  static void stop(Process child) throws InterruptedException {
    child.destroy();
    if (!child.waitFor(30, TimeUnit.SECONDS)) {
      child.descendants().forEach(ProcessHandle::destroyForcibly);
      child.destroyForcibly();
      child.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /**
   * A long-running child's output (stdout and stderr merged), read on a thread of its own, keeping
   * the last lines for errors; {@link #awaitLine} waits for the line that says it is ready.
   */
  static final class Output {
    private final Process child;
    private final String ready;
    private final Deque<String> last = new ArrayDeque<>();
    private final CompletableFuture<Void> seen = new CompletableFuture<>();

    /** Every line also goes to this file, when not null: what a chaos run explains itself by. */
    private final java.nio.file.Path journal;

    Output(Process child, String ready) {
      this(child, ready, null);
    }

    Output(Process child, String ready, java.nio.file.Path journal) {
      this.child = child;
      this.ready = ready;
      this.journal = journal;
      Thread.ofPlatform().daemon().name("updraft-child-output").start(this::pump);
    }

    private void pump() {
      try (BufferedReader in =
              new BufferedReader(
                  new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
          java.io.Writer copy =
              journal == null
                  ? java.io.Writer.nullWriter()
                  : java.nio.file.Files.newBufferedWriter(journal, StandardCharsets.UTF_8)) {
        for (String line; (line = in.readLine()) != null; ) {
          copy.write(line);
          copy.write('\n');
          copy.flush();
          synchronized (last) {
            last.addLast(line);
            if (last.size() > 20) {
              last.removeFirst();
            }
          }
          if (line.contains(ready)) {
            seen.complete(null);
          }
        }
      } catch (IOException e) {
        // the child ended; awaitLine reports it
      }
      seen.complete(null);
    }

    void awaitLine(Duration timeout) throws Exception {
      try {
        seen.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        throw new IllegalStateException(
            "updraft did not say '" + ready + "' within " + timeout.toSeconds() + " s: " + tail());
      }
      if (!child.isAlive()) {
        throw new IllegalStateException(
            "updraft ended (exit " + child.exitValue() + "): " + tail());
      }
    }

    String tail() {
      synchronized (last) {
        return String.join(" | ", last);
      }
    }
  }
}
