package io.updraft.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.updraft.bundle.JavaCommand;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The reaper ends the trees of the task processes still listed when its pipe ends (its JVM died),
 * and leaves alone those reported ended.
 */
class OrphanReaperTest {
  private static String line(String op, Process p) {
    return op + " " + p.pid() + "\n";
  }

  @Test
  void whenItsPipeEndsItKillsTheTreesOfTheTaskProcessesStillListed() throws Exception {
    // A shell with a child of its own, as a task's bash -c with its sleep.
    Process listed = new ProcessBuilder("bash", "-c", "sleep 60 & wait").start();
    Process ended = new ProcessBuilder("sleep", "60").start();
    Process reaper =
        new ProcessBuilder(JavaCommand.of(OrphanReaper.class.getName(), List.of("1000"))).start();
    try {
      Thread.sleep(200); // bash has started its sleep
      List<ProcessHandle> children = listed.descendants().toList();
      assertThat(children).isNotEmpty();
      try (OutputStream pipe = reaper.getOutputStream()) {
        pipe.write(
            (line("+", listed) + line("+", ended) + line("-", ended))
                .getBytes(StandardCharsets.US_ASCII));
      }
      assertThat(reaper.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(listed.waitFor(5, TimeUnit.SECONDS)).isTrue();
      for (ProcessHandle c : children) {
        assertThat(c.onExit().get(5, TimeUnit.SECONDS).isAlive()).isFalse();
      }
      assertThat(ended.isAlive()).as("a process reported ended is not touched").isTrue();
    } finally {
      listed.descendants().forEach(ProcessHandle::destroyForcibly);
      listed.destroyForcibly();
      ended.destroyForcibly();
      reaper.destroyForcibly();
    }
  }
}
