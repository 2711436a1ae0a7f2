package io.updraft.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.state.DagRunState;
import io.updraft.store.DagRepository;
import io.updraft.store.DagRunRepository;
import io.updraft.store.Database;
import io.updraft.store.DatabaseConfig;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The home's embedded H2 as {@code standalone} shares it with other processes on the machine: only
 * on the loopback address, and whoever opens the file first, the other waits or connects — it never
 * dies of "Locked by another process".
 */
class EmbeddedDatabaseTest {
  private static final String DAG =
      """
      dag_id: quick
      schedule: null
      tasks:
        - {task_id: t, operator: shell, command: "echo ok"}
      """;

  private static final Map<String, String> ENV =
      Map.of("UPDRAFT_CORE_DAGS_ARE_PAUSED_AT_CREATION", "false");

  @TempDir Path home;
  private Path dags;
  private final List<ChildJvm> processes = new ArrayList<>();

  @BeforeEach
  void folder() throws IOException {
    dags = Files.createDirectories(home.resolve("dags"));
    Files.writeString(dags.resolve("quick.yaml"), DAG);
  }

  @AfterEach
  void reap() throws Exception {
    for (ChildJvm p : processes) {
      p.close();
    }
  }

  @Test
  void standaloneListensOnTheLoopbackAddressOnly() throws Exception {
    ChildJvm standalone = updraft("standalone", "standalone", "--port", "0");
    await("the standalone to start", standalone, () -> said(standalone, "is running"));

    List<InetAddress> listening = listeningAddresses(standalone.pid());

    assertThat(listening).as("H2's AUTO_SERVER socket").isNotEmpty();
    assertThat(listening).allMatch(InetAddress::isLoopbackAddress, "a loopback address");
  }

  /**
   * Another process has the new file open but does not serve it yet (it is still opening it, as a
   * CLI command starting at the same moment does): standalone waits, says so, and starts once the
   * file is free.
   */
  @Test
  void standaloneWaitsForAProcessStillOpeningTheFile() throws Exception {
    Path release = home.resolve("release");
    ChildJvm holder =
        holder("plain", "jdbc:h2:file:" + home.resolve("updraft") + ";FILE_LOCK=FILE", release);

    ChildJvm standalone = updraft("standalone", "standalone", "--port", "0");
    await(
        "the standalone to say it waits",
        standalone,
        () -> said(standalone, "is being opened or handed over by another process"));
    Files.createFile(release);
    assertThat(holder.awaitExit(Duration.ofSeconds(30))).isZero();
    await("the standalone to start", standalone, () -> said(standalone, "is running"));

    runsAQuickDag(standalone);
    assertThat(standalone.terminate(Duration.ofSeconds(60))).as(standalone.output()).isZero();
  }

  /**
   * A CLI-like Updraft process opened (and created) the file first and serves it: standalone
   * connects through it, keeps working when it leaves and takes the file over, and a CLI command
   * started afterwards connects through standalone.
   */
  @Test
  void standaloneStartsThroughAnEarlierProcessAndOutlivesIt() throws Exception {
    Path release = home.resolve("release");
    ChildJvm holder = holder("updraft", DatabaseConfig.defaultUrl(home), release);

    ChildJvm standalone = updraft("standalone", "standalone", "--port", "0");
    await("the standalone to start", standalone, () -> said(standalone, "is running"));
    Files.createFile(release);
    assertThat(holder.awaitExit(Duration.ofSeconds(30))).isZero();

    runsAQuickDag(standalone);
    assertThat(standalone.isAlive()).isTrue();
    assertThat(standalone.terminate(Duration.ofSeconds(60))).as(standalone.output()).isZero();
  }

  /** Triggers the DAG from a CLI process of its own and waits for standalone to run it. */
  private void runsAQuickDag(ChildJvm standalone) throws Exception {
    await(
        "the DAG to be read",
        standalone,
        () -> {
          try (Database db = Database.open(DatabaseConfig.defaultUrl(home))) {
            return new DagRepository(db).get("quick").isPresent();
          }
        });
    ChildJvm trigger = updraft("trigger", "dags", "trigger", "quick", "--run-id", "r");
    assertThat(trigger.awaitExit(Duration.ofSeconds(60))).as(trigger.output()).isZero();
    await(
        "the run to finish",
        standalone,
        () -> {
          try (Database db = Database.open(DatabaseConfig.defaultUrl(home))) {
            return new DagRunRepository(db).get("quick", "r").orElseThrow().state()
                == DagRunState.SUCCESS;
          }
        });
  }

  private ChildJvm updraft(String name, String... command) {
    List<String> args = new ArrayList<>(List.of("--home", home.toString()));
    args.addAll(List.of("--dags-folder", dags.toString()));
    args.addAll(List.of(command));
    ChildJvm p = ChildJvm.updraft(name + processes.size(), home, ENV, args);
    processes.add(p);
    return p;
  }

  private ChildJvm holder(String kind, String url, Path release) {
    ChildJvm p =
        ChildJvm.start(
            "holder",
            home,
            Map.of(),
            H2Holder.class.getName(),
            List.of(kind, url, release.toString()));
    processes.add(p);
    p.awaitOutput("holding", Duration.ofSeconds(60));
    return p;
  }

  /**
   * The addresses the process listens on with TCP: its socket inodes ({@code /proc/PID/fd}) found
   * among the listening sockets of {@code /proc/PID/net/tcp} and {@code tcp6}.
   */
  static List<InetAddress> listeningAddresses(long pid) throws IOException {
    Set<String> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      for (Path fd : fds.toList()) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException e) {
          // closed meanwhile
        }
      }
    }
    List<InetAddress> listening = new ArrayList<>();
    for (String table : List.of("tcp", "tcp6")) {
      Path file = Path.of("/proc", Long.toString(pid), "net", table);
      if (!Files.exists(file)) {
        continue;
      }
      for (String line : Files.readAllLines(file).subList(1, Files.readAllLines(file).size())) {
        String[] f = line.trim().split("\\s+");
        boolean listen = f[3].equals("0A");
        if (listen && inodes.contains(f[9])) {
          listening.add(address(f[1].substring(0, f[1].indexOf(':'))));
        }
      }
    }
    return listening;
  }

  /** /proc/net/tcp{,6} write an address as 32-bit words in host (little-endian) byte order. */
  private static InetAddress address(String hex) throws IOException {
    byte[] bytes = new byte[hex.length() / 2];
    for (int word = 0; word < bytes.length / 4; word++) {
      for (int i = 0; i < 4; i++) {
        int at = (word * 4 + (3 - i)) * 2;
        bytes[word * 4 + i] = (byte) new BigInteger(hex.substring(at, at + 2), 16).intValue();
      }
    }
    return InetAddress.getByAddress(bytes);
  }

  private static boolean said(ChildJvm p, String text) {
    return p.output().contains(text);
  }

  private static void await(String what, ChildJvm p, BooleanSupplier ok) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!ok.getAsBoolean()) {
      if (System.nanoTime() > deadline || !p.isAlive()) {
        throw new AssertionError(
            (p.isAlive() ? "timed out waiting for " : "it exited before ")
                + what
                + "; it said:\n"
                + p.output());
      }
      Thread.sleep(100);
    }
  }
}
