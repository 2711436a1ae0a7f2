package io.updraft.util;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.e2e.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real process trees: {@code bash} root → {@code bash} child → {@code bash} grandchild, each
 * writing its pid to a file once it is set up. SIGTERM goes to everything first; what ignores it is
 * SIGKILLed after the grace.
 */
class ProcessTreeTest {
  private static final Duration BOUND = Duration.ofSeconds(30);

  @TempDir Path dir;
  private final List<Process> started = new ArrayList<>();

  @AfterEach
  void reap() {
    for (Process p : started) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }

  /**
   * Starts root → child → grandchild; the grandchild runs {@code grandchildTrap} (a bash {@code
   * trap} line) first. Returns the root once all three are up.
   */
  private Process tree(String grandchildTrap) throws IOException {
    script(
        "grandchild.sh",
        grandchildTrap + "\necho $$ > grandchild.pid\nwhile true; do sleep 0.1; done\n");
    script("child.sh", "bash grandchild.sh &\necho $$ > child.pid\nwait\n");
    script("root.sh", "bash child.sh &\nwait\n");
    // Output to a file, not a pipe nobody reads: once the root exits, the JVM closes its end of the
    // pipe, and bash's "Terminated" note about a killed sleep would SIGPIPE the grandchild.
    Process root =
        new ProcessBuilder("bash", "root.sh")
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("tree.out").toFile())
            .start();
    started.add(root);
    Await.until(
        "the tree to start",
        BOUND,
        () -> pid("child.pid") > 0 && pid("grandchild.pid") > 0,
        () -> "root alive: " + root.isAlive());
    return root;
  }

  private void script(String name, String text) throws IOException {
    Files.writeString(dir.resolve(name), text);
  }

  /** The pid a script wrote, or 0 while it has not (completely) written it yet. */
  private long pid(String file) {
    try {
      String text = Files.readString(dir.resolve(file));
      return text.endsWith("\n") ? Long.parseLong(text.strip()) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  private static void awaitGone(long pid) throws Exception {
    ProcessHandle.of(pid).ifPresent(p -> p.onExit().orTimeout(30, TimeUnit.SECONDS).join());
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
        .as("process %d alive", pid)
        .isFalse();
  }

  @Test
  void aGrandchildThatIgnoresSigtermIsKilledAfterTheGrace() throws Exception {
    Process root = tree("trap 'echo term >> grandchild.signals' TERM");
    long grandchild = pid("grandchild.pid");

    ProcessTree.kill(root.toHandle(), Set.of(), Duration.ofSeconds(3));

    awaitGone(root.pid());
    awaitGone(pid("child.pid"));
    awaitGone(grandchild);
    assertThat(Files.readString(dir.resolve("grandchild.signals")))
        .as("asked first with SIGTERM, which it ignored: SIGKILL ended it")
        .contains("term");
  }

  @Test
  void aTreeThatHonoursSigtermCleansUpBeforeItEnds() throws Exception {
    Process root = tree("trap 'echo cleaned > grandchild.cleanup; exit 0' TERM");
    long grandchild = pid("grandchild.pid");

    ProcessTree.kill(root.toHandle(), Set.of(), BOUND);

    awaitGone(root.pid());
    awaitGone(pid("child.pid"));
    awaitGone(grandchild);
    assertThat(Files.readString(dir.resolve("grandchild.cleanup"))).contains("cleaned");
  }

  /** A grandchild whose parent died is no longer a descendant: known handles still reach it. */
  @Test
  void aReparentedGrandchildSeenEarlierIsKilledToo() throws Exception {
    Process root = tree("trap '' TERM");
    Set<ProcessHandle> seen = Set.copyOf(ProcessTree.snapshot(root.toHandle()));
    long grandchild = pid("grandchild.pid");
    assertThat(seen).extracting(ProcessHandle::pid).contains(grandchild);
    ProcessHandle.of(pid("child.pid")).orElseThrow().destroyForcibly();
    awaitGone(pid("child.pid"));

    ProcessTree.kill(root.toHandle(), seen, Duration.ofMillis(500));

    awaitGone(root.pid());
    awaitGone(grandchild);
  }
}
