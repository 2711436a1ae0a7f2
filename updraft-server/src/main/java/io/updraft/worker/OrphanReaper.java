package io.updraft.worker;

import io.updraft.bundle.JavaCommand;
import io.updraft.util.ProcessTree;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the task processes of a JVM that dies without ending them (decisions/0165): {@code kill -9},
 * the OOM killer. Their process trees would be re-parented and run on while the scheduler, after
 * the heartbeat timeout, fails their tries and starts the retries — two tries of one task instance
 * at once, a pool over its slots. Java has no {@code prctl(PR_SET_PDEATHSIG)}, so a small child JVM
 * plays its part: this JVM tells it on a pipe each task process it starts ({@code + pid}) and ends
 * ({@code - pid}); when the pipe ends — this JVM is gone, whatever way — it gives each task process
 * still running its tree's SIGTERM, then SIGKILL after the grace, and exits.
 *
 * <p>Started on the first task process, one per JVM. If it cannot be started the task runs anyway
 * (logged once): the heartbeat timeout is then the only bound, as before.
 */
public final class OrphanReaper {
  private static final Logger log = LoggerFactory.getLogger(OrphanReaper.class);

  /** How long a task process tree gets between SIGTERM and SIGKILL once its JVM is gone. */
  static final Duration GRACE = Duration.ofSeconds(2);

  private static OrphanReaper instance;
  private static boolean failed;

  private final Process process;
  private final OutputStream pipe;

  private OrphanReaper(Process process) {
    this.process = process;
    this.pipe = process.getOutputStream();
  }

  /** This JVM's reaper, started on first use; empty if it cannot be started. */
  static synchronized Optional<OrphanReaper> get() {
    if (instance != null && instance.process.isAlive()) {
      return Optional.of(instance);
    }
    if (failed) {
      return Optional.empty();
    }
    try {
      List<String> command =
          new ArrayList<>(
              JavaCommand.of(
                  OrphanReaper.class.getName(), List.of(Long.toString(GRACE.toMillis()))));
      command.add(1, "-Xmx16m");
      command.add(1, "-Xss256k");
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
      builder.redirectError(ProcessBuilder.Redirect.DISCARD);
      instance = new OrphanReaper(builder.start());
      return Optional.of(instance);
    } catch (IOException | RuntimeException e) {
      failed = true;
      log.warn(
          "cannot start the process that ends task processes left by a killed JVM: {};"
              + " they will run on after a kill -9",
          e.toString());
      return Optional.empty();
    }
  }

  /**
   * Starts this JVM's reaper now rather than at its first task process: a JVM whose job is to run
   * task processes (a remote worker) has it ready before its first try, so no kill can fall between
   * that process's start and the reaper's.
   */
  public static void prepare() {
    get();
  }

  /** Tells the reaper of a task process just started. */
  static void started(ProcessHandle p) {
    get().ifPresent(r -> r.send("+ " + p.pid() + "\n"));
  }

  /** Tells the reaper the task process has ended. */
  static void ended(ProcessHandle p) {
    OrphanReaper r;
    synchronized (OrphanReaper.class) {
      r = instance;
    }
    if (r != null) {
      r.send("- " + p.pid() + "\n");
    }
  }

  private synchronized void send(String line) {
    try {
      pipe.write(line.getBytes(StandardCharsets.US_ASCII));
      pipe.flush();
    } catch (IOException e) {
      // It died: the next task process starts another (what it knew of runs without one).
      log.warn("the process that ends orphaned task processes is gone: {}", e.toString());
    }
  }

  /**
   * The reaper itself: reads {@code + pid} and {@code - pid} lines until its stdin ends, then ends
   * the trees of the processes still listed. A handle is taken as its line arrives (the process has
   * just started): a pid reused later is not the same handle, and is left alone.
   */
  public static void main(String[] args) throws Exception {
    Duration grace = Duration.ofMillis(Long.parseLong(args[0]));
    Map<Long, ProcessHandle> running = new HashMap<>();
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII))) {
      String line;
      while ((line = in.readLine()) != null) {
        String[] f = line.split(" ");
        if (f.length != 2) {
          continue;
        }
        long pid = Long.parseLong(f[1]);
        if (f[0].equals("+")) {
          ProcessHandle.of(pid).ifPresent(p -> running.put(pid, p));
        } else {
          running.remove(pid);
        }
      }
    }
    List<CompletableFuture<Void>> kills = new ArrayList<>();
    for (ProcessHandle p : running.values()) {
      if (p.isAlive()) {
        kills.add(CompletableFuture.runAsync(() -> ProcessTree.kill(p, Set.of(), grace)));
      }
    }
    CompletableFuture.allOf(kills.toArray(CompletableFuture[]::new)).join();
  }
}
